// Build step (pom.xml, generate-resources): bundles the viewer into two minified scripts with only
// what they use, made from three.js and MindAR's own sources:
// - <webroot>/viewer/viewer.bundle.js, the runtime (webroot/viewer/runtime.js): TensorFlow.js and
//   MindAR's controller. The page loads it; it loads the scene script and the target after it.
// - <webroot>/viewer/viewer-scene.bundle.js: webroot/viewer/viewer.js with three.js and MindAR's
//   three.js build, which takes the controller from the runtime.
// Each package in them has its licence under <webroot>/vendor/<name>@<version>/LICENSE.
// mind-ar is fetched with `npm pack` and checked against the sha512 pinned in vendor-assets.json
// before anything is extracted; the rest is installed from src/build/viewer/package-lock.json
// (`npm ci`, no install scripts). Without npm it says so and exits 0: the page then loads the
// libraries as ES modules from the CDN base through an import map.
// Usage: node vendor-assets.mjs <pins.json> <webroot out dir> <work dir> <viewer.js>
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const [pinsFile, webroot, workDir, entry] = process.argv.slice(2).map((arg) => resolve(arg));
const pins = JSON.parse(readFileSync(pinsFile, 'utf8')).packages;
const lockDir = join(dirname(fileURLToPath(import.meta.url)), 'viewer');
const out = join(webroot, 'viewer', 'viewer.bundle.js');
const sceneOut = join(webroot, 'viewer', 'viewer-scene.bundle.js');
const npmOptions = { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' };

function npmAvailable() {
  try {
    execFileSync('npm', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' });
    return true;
  } catch {
    return false;
  }
}

function fail(message) {
  console.error(`[vendor-assets] ${message}`);
  process.exit(1);
}

/** The regular files of a .tgz as a map from path to bytes (ustar, as npm writes it). */
function untar(tgz) {
  const tar = gunzipSync(tgz);
  const files = new Map();
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    const field = (from, len) => header.subarray(from, from + len).toString('utf8').replace(/\0.*$/s, '');
    const name = field(0, 100);
    if (!name) break;
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    if (type === '0' || type === '') {
      files.set(prefix ? prefix + '/' + name : name, tar.subarray(at + 512, at + 512 + size));
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function write(target, bytes) {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, bytes);
}

if (!npmAvailable()) {
  console.warn('[vendor-assets] WARNING: npm is not installed, so the viewer is not bundled; its page will load ' +
    'three.js and MindAR from the CDN base (AR_VIEWER_CDN_BASE). Install Node.js and npm and rebuild to serve one bundle.');
  process.exit(0);
}
mkdirSync(workDir, { recursive: true });

// MindAR's package, sources included, by its pinned tarball
const mindar = pins.find((pin) => pin.name === 'mind-ar');
const tgzFile = join(workDir, `mind-ar-${mindar.version}.tgz`);
const integrity = (bytes) => 'sha512-' + createHash('sha512').update(bytes).digest('base64');
if (!existsSync(tgzFile) || integrity(readFileSync(tgzFile)) !== mindar.integrity) {
  execFileSync('npm', ['pack', `mind-ar@${mindar.version}`, '--pack-destination', workDir, '--prefer-offline', '--silent'], npmOptions);
}
if (integrity(readFileSync(tgzFile)) !== mindar.integrity) {
  fail(`mind-ar@${mindar.version}: tarball integrity ${integrity(readFileSync(tgzFile))} does not match the pinned ${mindar.integrity}`);
}
const mindarDir = join(workDir, 'mind-ar');
for (const [path, bytes] of untar(readFileSync(tgzFile))) write(join(mindarDir, path.replace(/^package\//, '')), bytes);

// everything else from the lock file, installed again only when it changed
const lock = readFileSync(join(lockDir, 'package-lock.json'));
const installed = join(workDir, 'node_modules', '.package-lock.json.installed');
if (!existsSync(installed) || !readFileSync(installed).equals(lock)) {
  copyFileSync(join(lockDir, 'package.json'), join(workDir, 'package.json'));
  writeFileSync(join(workDir, 'package-lock.json'), lock);
  execFileSync('npm', ['ci', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--silent'],
    { ...npmOptions, cwd: workDir });
  writeFileSync(installed, lock);
}
const modules = join(workDir, 'node_modules');
const manifest = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const three = pins.find((pin) => pin.name === 'three');
const lockedThree = manifest(join(modules, 'three')).version;
if (lockedThree !== three.version) {
  fail(`three is ${three.version} in vendor-assets.json but ${lockedThree} in the lock file`);
}

const esbuild = await import(pathToFileURL(join(modules, 'esbuild', 'lib', 'main.js')).href);
const common = {
  bundle: true,
  minify: true,
  target: 'es2020',
  nodePaths: [modules],
  // code paths of the libraries that only run under Node
  external: ['fs', 'node-fetch', 'string_decoder', 'util', 'canvas'],
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'external',
  logLevel: 'warning',
  write: false,
};
// The TensorFlow.js operations MindAR's runtime calls besides its own kernels (tensor.slice, .sub,
// .cast, .argMax and tf.stack), as chained tensor methods and as WebGL kernels. A kernel missing
// here fails the first detection with "Kernel '…' not registered", which the browser tests would see.
const CHAINED_OPS = ['arg_max', 'cast', 'slice', 'sub'];
const KERNELS = ['ArgMax', 'Cast', 'Pack', 'Slice', 'Sub'];
const kernelConfig = (kernel) => `${kernel[0].toLowerCase()}${kernel.slice(1)}Config`;
// what the inline workers bundle (in the runtime script)
const workerInputs = new Set();
// What MindAR's own build (vite) does with its sources: `?raw` imports as text, `?worker&inline` as
// a worker made from the bundled file; TensorFlow.js as its core and its WebGL backend.
const sources = {
  name: 'mindar-sources',
  setup(build) {
    build.onResolve({ filter: /^mind-ar\/dist\/mindar-image-three\.prod\.js$/ },
      () => ({ path: join(mindarDir, 'src', 'image-target', 'three.js') }));
    build.onResolve({ filter: /^mind-ar\/src\// }, (args) => ({ path: join(mindarDir, args.path.slice('mind-ar/'.length)) }));
    build.onResolve({ filter: /^@tensorflow\/tfjs$/ }, () => ({ path: 'tfjs', namespace: 'tfjs' }));
    // ml-matrix's ES sources, which tree-shake, instead of its CommonJS build, which does not
    build.onResolve({ filter: /^ml-matrix$/ }, () => ({ path: join(modules, 'ml-matrix', 'src', 'index.js') }));
    // both packages' indexes would register everything: the optimizers (training), every kernel
    build.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, () => ({ path: 'core', namespace: 'tfjs' }));
    build.onResolve({ filter: /^@tensorflow\/tfjs-backend-webgl$/ },
      () => ({ path: join(modules, '@tensorflow', 'tfjs-backend-webgl', 'dist', 'base.js') }));
    build.onLoad({ filter: /^core$/, namespace: 'tfjs' }, () => ({
      contents: "import '@tensorflow/tfjs-core/dist/base_side_effects';\nexport * from '@tensorflow/tfjs-core/dist/base';",
      resolveDir: modules,
    }));
    build.onLoad({ filter: /^tfjs$/, namespace: 'tfjs' }, () => ({
      // TensorFlow.js's core and WebGL backend with the kernels above: no layers, converter, data,
      // training or CPU backend (without WebGL three.js cannot draw the video either). Shapes as
      // uniforms let one shader program serve every size of a kernel, and unpacked textures spare
      // MindAR's detector the packing around each subtraction, so a phone compiles and runs fewer.
      contents: [
        "import { env, registerKernel } from '@tensorflow/tfjs-core';",
        ...CHAINED_OPS.map((op) => `import '@tensorflow/tfjs-core/dist/public/chained_ops/${op}';`),
        ...KERNELS.map((k) => `import { ${kernelConfig(k)} } from '@tensorflow/tfjs-backend-webgl/dist/kernels/${k}';`),
        "export * from '@tensorflow/tfjs-core';",
        "export * from '@tensorflow/tfjs-backend-webgl';",
        ...KERNELS.map((k) => `registerKernel(${kernelConfig(k)});`),
        "env().set('WEBGL_USE_SHAPES_UNIFORMS', true);",
        "env().set('WEBGL_PACK', false);",
      ].join('\n'),
      resolveDir: modules,
    }));
    build.onResolve({ filter: /\?(raw|worker&inline)$/ }, (args) => ({
      path: join(args.resolveDir, args.path.replace(/\?.*$/, '')),
      namespace: args.path.endsWith('?raw') ? 'raw' : 'worker',
    }));
    build.onLoad({ filter: /.*/, namespace: 'raw' }, (args) => ({ contents: readFileSync(args.path), loader: 'text' }));
    build.onLoad({ filter: /.*/, namespace: 'worker' }, async (args) => {
      // (what it bundles has licence files: checked below)
      const worker = await esbuild.build({
        ...common, entryPoints: [args.path], format: 'iife', plugins: [sources], metafile: true, legalComments: 'none',
      });
      Object.keys(worker.metafile.inputs).forEach((input) => workerInputs.add(input));
      return {
        contents: `const code = ${JSON.stringify(worker.outputFiles[0].text)};\n` +
          'export default function InlineWorker() {\n' +
          "  return new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));\n}",
        loader: 'js',
        watchFiles: Object.keys(worker.metafile.inputs),
      };
    });
  },
};
/** The folders of the packages that have code among a build's {@code inputs}. */
function packageDirs(inputs) {
  const dirs = new Set();
  for (const input of inputs) {
    const match = /^(?:[a-z]+:)?(.*\/node_modules\/(?:@[^/]+\/)?[^/]+|.*\/mind-ar)\//.exec(input);
    if (match) dirs.add(match[1]);
  }
  return dirs;
}

/** A script's bytes: a banner naming the packages in it and where their licences are, then its code. */
function withBanner(result, inputs) {
  const names = new Set([...packageDirs(inputs)].map(manifest).map((m) => `${m.name}@${m.version} (${m.license})`));
  const banner = `/*! AR Service viewer with ${[...names].sort().join(', ')}; ` +
    'licences under /vendor/<name>@<version>/LICENSE and /vendor/LEGAL.txt */\n';
  return Buffer.concat([Buffer.from(banner), result.outputFiles.find((file) => file.path.endsWith('.js')).contents]);
}

// The scene script: three.js, MindAR's three.js build and viewer.js. MindAR's controller (and with
// it TensorFlow.js) it takes from the runtime script, which loads it.
const fromRuntime = {
  name: 'from-runtime',
  setup(build) {
    build.onResolve({ filter: /^\.\/controller\.js$/ }, (args) =>
      args.importer === join(mindarDir, 'src', 'image-target', 'three.js') ? { path: 'controller', namespace: 'runtime' } : undefined);
    build.onResolve({ filter: /^@tensorflow\/tfjs$/ }, () => ({ path: 'tfjs', namespace: 'runtime' }));
    build.onLoad({ filter: /^controller$/, namespace: 'runtime' }, () => ({ contents: 'export const Controller = window.arRuntime.Controller;' }));
    // MindAR's three.js build imports TensorFlow.js but calls nothing of it
    build.onLoad({ filter: /^tfjs$/, namespace: 'runtime' }, () => ({ contents: '' }));
  },
};
const scene = await esbuild.build({
  ...common, entryPoints: [entry], outfile: sceneOut, format: 'iife', plugins: [fromRuntime, sources], metafile: true,
});
const sceneInputs = Object.keys(scene.metafile.inputs);
const stray = sceneInputs.find((input) => /@tensorflow|image-target\/controller\.js/.test(input));
if (stray) fail(`the scene script would carry its own copy of ${stray}; it must come from the runtime script`);
const sceneBytes = withBanner(scene, sceneInputs);
// The runtime script: TensorFlow.js and MindAR's controller; it loads the scene script by this name.
const sceneScript = `${basename(sceneOut)}?v=${createHash('sha256').update(sceneBytes).digest('hex').slice(0, 12)}`;
const runtime = await esbuild.build({
  ...common, entryPoints: [join(dirname(entry), 'runtime.js')], outfile: out, format: 'iife', plugins: [sources], metafile: true,
  define: { ...common.define, SCENE_SCRIPT: JSON.stringify(sceneScript) },
});
const runtimeInputs = [...Object.keys(runtime.metafile.inputs), ...workerInputs];

// the licence of each package that has code in either script
for (const dir of packageDirs([...sceneInputs, ...runtimeInputs])) {
  // TensorFlow.js ships no licence file, only @license comments, which go to LEGAL.txt
  const licence = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].map((f) => join(dir, f)).find(existsSync);
  const { name, version } = manifest(dir);
  if (licence) write(join(webroot, 'vendor', `${name}@${version}`, 'LICENSE'), readFileSync(licence));
}
const legal = [scene, runtime].flatMap((result) => result.outputFiles).filter((file) => file.path.endsWith('.LEGAL.txt'));
write(join(webroot, 'vendor', 'LEGAL.txt'), legal.map((file) => file.text).join(''));
// an unchanged script keeps its date, so its compressed copies are not made again
for (const [file, bytes] of [[sceneOut, sceneBytes], [out, withBanner(runtime, runtimeInputs)]]) {
  if (!existsSync(file) || !readFileSync(file).equals(bytes)) {
    write(file, bytes);
    console.log(`[vendor-assets] ${file}: ${bytes.length} bytes`);
  }
}
