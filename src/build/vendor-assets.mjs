// Build step (pom.xml, generate-resources): puts the viewer's browser libraries under
// <out>/<name>@<version>/<file> so the service serves them at /vendor/... . Each package is fetched
// with `npm pack <name>@<version>` (never `npm install`: aframe has git dependencies) and its
// tarball is checked against the sha512 pinned in vendor-assets.json before anything is extracted.
// Without npm it says so and exits 0: the viewer then loads the libraries from the CDN base.
// Usage: node vendor-assets.mjs <pins.json> <out dir> <tarball cache dir>
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const [pinsFile, outDir, cacheDir] = process.argv.slice(2);
const pins = JSON.parse(readFileSync(pinsFile, 'utf8')).packages;

function integrity(bytes) {
  return 'sha512-' + createHash('sha512').update(bytes).digest('base64');
}

function npmAvailable() {
  try {
    execFileSync('npm', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' });
    return true;
  } catch {
    return false;
  }
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

mkdirSync(cacheDir, { recursive: true });
let npm = null;
for (const pin of pins) {
  const spec = `${pin.name}@${pin.version}`;
  const tgzFile = join(cacheDir, `${pin.name}-${pin.version}.tgz`);
  if (!existsSync(tgzFile) || integrity(readFileSync(tgzFile)) !== pin.integrity) {
    npm ??= npmAvailable();
    if (!npm) {
      console.warn(`[vendor-assets] WARNING: npm is not installed, so ${spec} is not bundled; ` +
        'the viewer page will load A-Frame and MindAR from the CDN base (AR_VIEWER_CDN_BASE). ' +
        'Install Node.js and npm and rebuild to serve them from /vendor/.');
      process.exit(0);
    }
    execFileSync('npm', ['pack', spec, '--pack-destination', cacheDir, '--prefer-offline', '--silent'],
      { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
  }
  const actual = integrity(readFileSync(tgzFile));
  if (actual !== pin.integrity) {
    console.error(`[vendor-assets] ${spec}: tarball integrity ${actual} does not match the pinned ${pin.integrity}`);
    process.exit(1);
  }
  const files = untar(readFileSync(tgzFile));
  for (const file of pin.files) {
    const bytes = files.get('package/' + file);
    if (!bytes) {
      console.error(`[vendor-assets] ${spec} has no ${file}`);
      process.exit(1);
    }
    const target = join(outDir, spec, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}
