// Interop check against the real MindAR 1.2.5 (npm mind-ar, tfjs CPU backend, no canvas).
//   node check.mjs compile IMAGE... OUT.mind          MindAR's own compiler
//   node check.mjs frames IMAGE OUTDIR N SEED [HARD]  synthetic camera frames + truth.json
//   node check.mjs match-set TARGET.mind DIR [INDEX|all]  MindAR's runtime detection on each frame
//   node check.mjs runtime TARGET.mind DIR [INDEX]    the browser runtime's path on each PNG frame
//   node check.mjs compare OURS.mind REF.mind         structure and point-by-point fidelity
// Every subcommand prints one JSON object as the LAST line of stdout (tfjs may print a banner first).
import fs from 'fs';
import path from 'path';
import * as msgpack from '@msgpack/msgpack';
import { rng, newImage, readRgb, readRgba, readGrey, writeJpeg, gaussianBlur, valueNoise } from './image-utils.mjs';

const done = (obj) => { console.log(JSON.stringify(obj)); };
const fail = (message) => { console.log(JSON.stringify({ error: message })); process.exit(2); };
const loadMind = (p) => {
  const content = msgpack.decode(new Uint8Array(fs.readFileSync(p)));
  if (!content || content.v !== 2) fail(`${p}: unsupported .mind version ${content && content.v}`);
  return content;
};

// MindAR needs tfjs with its CPU kernels registered; loaded lazily so `frames`/`compare` stay fast.
async function tfjs() {
  const tf = await import('@tensorflow/tfjs');
  await import('mind-ar/src/image-target/detector/kernels/cpu/index.js');
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

// ---------------------------------------------------------------------------------------------
// compile: CompilerBase.compileImageTargets + exportData, i.e. MindAR's own pipeline. The only
// browser/canvas piece, drawing the image to read back RGBA, is replaced by the decoded pixels;
// compileTrack does what OfflineCompiler's does (offline-compiler.js itself imports `canvas`).
async function compile(args) {
  if (args.length < 2) fail('usage: compile IMAGE... OUT.mind');
  const out = args.pop();
  await tfjs();
  const { CompilerBase } = await import('mind-ar/src/image-target/compiler-base.js');
  const { buildTrackingImageList } = await import('mind-ar/src/image-target/image-list.js');
  const { extractTrackingFeatures } = await import('mind-ar/src/image-target/tracker/extract-utils.js');

  class NodeCompiler extends CompilerBase {
    createProcessCanvas(img) {
      return { getContext: () => ({ drawImage() {}, getImageData: () => ({ data: img.rgba }) }) };
    }
    compileTrack({ targetImages }) {
      return Promise.resolve(targetImages.map((t) => extractTrackingFeatures(buildTrackingImageList(t), () => {})));
    }
  }
  const images = args.map(readRgba);
  const started = Date.now();
  const compiler = new NodeCompiler();
  await compiler.compileImageTargets(images, () => {});
  const buffer = compiler.exportData();
  const compileMs = Date.now() - started;
  fs.writeFileSync(out, buffer);
  done({ out, targets: images.length, bytes: buffer.length, compile_ms: compileMs });
}

// ---------------------------------------------------------------------------------------------
// frames: the photo printed flat and seen by the camera model of MindAR's controller (fovy 45°,
// principal point at the centre), so every truth homography is a physically possible pose.
const FRAME_W = 640, FRAME_H = 480;
const FOCAL = (FRAME_H / 2) / Math.tan((45 * Math.PI / 180) / 2);

const mul3 = (a, b) => {
  const r = new Array(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[3 * i + j] += a[3 * i + k] * b[3 * k + j];
  return r;
};
const det3 = (m) => m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
const inv3 = (m) => {
  const d = det3(m);
  return [
    (m[4] * m[8] - m[5] * m[7]) / d, (m[2] * m[7] - m[1] * m[8]) / d, (m[1] * m[5] - m[2] * m[4]) / d,
    (m[5] * m[6] - m[3] * m[8]) / d, (m[0] * m[8] - m[2] * m[6]) / d, (m[2] * m[3] - m[0] * m[5]) / d,
    (m[3] * m[7] - m[4] * m[6]) / d, (m[1] * m[6] - m[0] * m[7]) / d, (m[0] * m[4] - m[1] * m[3]) / d,
  ];
};
const applyH = (H, x, y) => {
  const d = H[6] * x + H[7] * y + H[8];
  return [(H[0] * x + H[1] * y + H[2]) / d, (H[3] * x + H[4] * y + H[5]) / d];
};

// Rotation by `angle` about the in-plane unit axis (cos phi, sin phi, 0) (Rodrigues).
function tiltRotation(angle, phi) {
  const ax = Math.cos(phi), ay = Math.sin(phi), c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
  return [t * ax * ax + c, t * ax * ay, s * ay, t * ax * ay, t * ay * ay + c, -s * ax, -s * ay, s * ax, c];
}

// Homography from photo pixel coordinates (pixel centres at integers) to frame pixels.
function poseHomography(w, h, { tilt, tiltAxis, roll, size, tx, ty }) {
  const rz = [Math.cos(roll), -Math.sin(roll), 0, Math.sin(roll), Math.cos(roll), 0, 0, 0, 1];
  const R = mul3(rz, tiltRotation(tilt, tiltAxis));
  const k = size / Math.max(w, h); // photo pixel -> plane units; plane sits at depth FOCAL
  const P = [R[0] * k, R[1] * k, tx, R[3] * k, R[4] * k, ty, R[6] * k, R[7] * k, FOCAL];
  const K = [FOCAL, 0, FRAME_W / 2, 0, FOCAL, FRAME_H / 2, 0, 0, 1];
  const C = [1, 0, -(w - 1) / 2, 0, 1, -(h - 1) / 2, 0, 0, 1];
  const H = mul3(mul3(K, P), C);
  return H.map((v) => v / H[8]);
}

function renderBackground(random) {
  const img = newImage(FRAME_W, FRAME_H);
  const base = [random.range(60, 200), random.range(60, 200), random.range(60, 200)];
  const n = valueNoise(FRAME_W, FRAME_H, 48, 4, random);
  const grain = valueNoise(FRAME_W, FRAME_H, 6, 2, random);
  for (let i = 0; i < FRAME_W * FRAME_H; i++) {
    for (let c = 0; c < 3; c++) img.data[3 * i + c] = base[c] * (0.6 + 0.8 * n[i]) + 30 * (grain[i] - 0.5);
  }
  // a few flat objects lying around (books, papers), so the background has edges too
  for (let r = 0; r < 6; r++) {
    const x0 = random.int(FRAME_W), y0 = random.int(FRAME_H), rw = random.range(30, 200), rh = random.range(30, 200);
    const col = [random.range(0, 255), random.range(0, 255), random.range(0, 255)];
    for (let y = Math.max(0, y0); y < Math.min(FRAME_H, y0 + rh); y++) {
      for (let x = Math.max(0, x0); x < Math.min(FRAME_W, x0 + rw); x++) {
        for (let c = 0; c < 3; c++) img.data[3 * (y * FRAME_W + x) + c] = col[c] * (0.85 + 0.3 * n[y * FRAME_W + x]);
      }
    }
  }
  return img;
}

// Mip pyramid of the photo (2x2 box averages) so minified sampling does not alias.
function buildMips(photo) {
  const mips = [photo];
  while (Math.min(mips[mips.length - 1].width, mips[mips.length - 1].height) >= 4) {
    const src = mips[mips.length - 1];
    const w = src.width >> 1, h = src.height >> 1, dst = newImage(w, h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) {
      const p = (yy, xx) => src.data[3 * (yy * src.width + xx) + c];
      dst.data[3 * (y * w + x) + c] = (p(2 * y, 2 * x) + p(2 * y, 2 * x + 1) + p(2 * y + 1, 2 * x) + p(2 * y + 1, 2 * x + 1)) / 4;
    }
    mips.push(dst);
  }
  return mips;
}

function sampleBilinear(img, u, v, out) {
  const x = Math.min(img.width - 1, Math.max(0, u)), y = Math.min(img.height - 1, Math.max(0, v));
  const x0 = Math.min(img.width - 2, Math.floor(x)), y0 = Math.min(img.height - 2, Math.floor(y));
  const fx = x - x0, fy = y - y0, w = img.width, d = img.data;
  for (let c = 0; c < 3; c++) {
    const a = d[3 * (y0 * w + x0) + c], b = d[3 * (y0 * w + x0 + 1) + c];
    const e = d[3 * ((y0 + 1) * w + x0) + c], f = d[3 * ((y0 + 1) * w + x0 + 1) + c];
    out[c] = (a + (b - a) * fx) * (1 - fy) + (e + (f - e) * fx) * fy;
  }
}

// Trilinear perspective warp of the photo over the background; returns the composited frame.
function warpPhoto(mips, H, background) {
  const photo = mips[0], G = inv3(H), detG = Math.abs(det3(G));
  const frame = { width: FRAME_W, height: FRAME_H, data: Float32Array.from(background.data) };
  const s0 = [0, 0, 0], s1 = [0, 0, 0];
  for (let y = 0; y < FRAME_H; y++) {
    for (let x = 0; x < FRAME_W; x++) {
      const d = G[6] * x + G[7] * y + G[8];
      const u = (G[0] * x + G[1] * y + G[2]) / d, v = (G[3] * x + G[4] * y + G[5]) / d;
      if (u < -0.5 || v < -0.5 || u > photo.width - 0.5 || v > photo.height - 0.5) continue;
      // photo pixels per frame pixel at this spot: sqrt of the Jacobian determinant of G
      const minify = Math.sqrt(detG / Math.abs(d * d * d));
      const level = Math.min(mips.length - 1, Math.max(0, Math.log2(minify)));
      const l0 = Math.floor(level), t = level - l0, l1 = Math.min(mips.length - 1, l0 + 1);
      const at = (l) => [(u + 0.5) / (1 << l) - 0.5, (v + 0.5) / (1 << l) - 0.5];
      sampleBilinear(mips[l0], ...at(l0), s0);
      sampleBilinear(mips[l1], ...at(l1), s1);
      const o = 3 * (y * FRAME_W + x);
      for (let c = 0; c < 3; c++) frame.data[o + c] = s0[c] * (1 - t) + s1[c] * t;
    }
  }
  return frame;
}

async function frames(args) {
  const [imagePath, outDir, nArg, seedArg, hardArg = '0'] = args;
  if (!seedArg) fail('usage: frames IMAGE OUTDIR N SEED [HARD]');
  // HARD 0..1 widens the tilt to 60 degrees, shrinks the print to a third of the frame and adds
  // blur and noise; 0 (the default) draws exactly the frames of earlier releases
  const hard = Number(hardArg);
  const n = Number(nArg), random = rng(Number(seedArg));
  const photo = readRgb(imagePath), mips = buildMips(photo);
  const { width: w, height: h } = photo;
  fs.mkdirSync(outDir, { recursive: true });
  const truth = { target: [w, h], camera: { focal: FOCAL, width: FRAME_W, height: FRAME_H }, frames: {}, params: {} };
  const corners = [[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]];
  for (let i = 0; i < n; i++) {
    const pose = {
      tilt: random.range(0, 40 + 20 * hard) * Math.PI / 180, tiltAxis: random.range(0, 2 * Math.PI),
      roll: random.range(-Math.PI, Math.PI), size: random.range(300 - 150 * hard, 460 - 200 * hard),
      tx: random.range(-40, 40), ty: random.range(-30, 30),
    };
    let H = poseHomography(w, h, pose);
    // shrink until the whole print is inside the frame with a small margin
    while (!corners.every(([x, y]) => { const [u, v] = applyH(H, x, y); return u >= 4 && v >= 4 && u <= FRAME_W - 5 && v <= FRAME_H - 5; })) {
      pose.size *= 0.95; pose.tx *= 0.9; pose.ty *= 0.9;
      H = poseHomography(w, h, pose);
    }
    let frame = warpPhoto(mips, H, renderBackground(random));
    const look = {
      gain: random.range(0.7, 1.15), offset: random.range(-20, 20),
      gradient: [random.range(-0.2, 0.2), random.range(-0.2, 0.2)],
      tint: [random.range(0.93, 1.07), random.range(0.93, 1.07), random.range(0.93, 1.07)],
      blur: random.range(0.3, 1.0 + 1.2 * hard), noise: random.range(1, 4 + 4 * hard),
      quality: Math.round(random.range(70 - 20 * hard, 90)),
    };
    for (let y = 0; y < FRAME_H; y++) {
      for (let x = 0; x < FRAME_W; x++) {
        const light = look.gain * (1 + look.gradient[0] * (x / FRAME_W - 0.5) + look.gradient[1] * (y / FRAME_H - 0.5));
        for (let c = 0; c < 3; c++) {
          const o = 3 * (y * FRAME_W + x) + c;
          frame.data[o] = frame.data[o] * light * look.tint[c] + look.offset;
        }
      }
    }
    frame = gaussianBlur(frame, look.blur);
    for (let k = 0; k < frame.data.length; k++) frame.data[k] += look.noise * random.gauss();
    const name = `frame${String(i).padStart(3, '0')}.jpg`;
    writeJpeg(frame, path.join(outDir, name), look.quality);
    truth.frames[name] = H.map((v) => +v.toPrecision(12));
    truth.params[name] = {
      tiltDeg: +(pose.tilt * 180 / Math.PI).toFixed(1), rollDeg: +(pose.roll * 180 / Math.PI).toFixed(1),
      sizePx: +pose.size.toFixed(1), blur: +look.blur.toFixed(2), noise: +look.noise.toFixed(2), quality: look.quality,
    };
  }
  fs.writeFileSync(path.join(outDir, 'truth.json'), JSON.stringify(truth, null, 1));
  done({ dir: outDir, frames: n, target: [w, h] });
}

// ---------------------------------------------------------------------------------------------
// match-set: what MindAR's controller does to (re)detect a target: Detector on the grey frame,
// Matcher.matchDetection over the target's keyframes (world coordinates are target pixels,
// (keypoint + 0.5) / keyframe.scale, i.e. pixel edges at integers), then the worker's
// Estimator.estimate, whose null result also means "not found". TARGET_INDEX "all" tries every
// target in order and stops at the first found, as the worker does. Differences on purpose: the
// detector sees the whole frame (the controller cycles 256x256 crops over successive frames),
// and the reported error uses the homography of the matched pairs (solveHomography); the error
// of the estimated pose's projection is reported beside it. The detector's output for a frame
// does not depend on the .mind, so it is cached in DIR/features.json for the next .mind.
const MAX_CORNER_ERROR = 5;

async function detectFrames(tf, dir, names) {
  const { Detector } = await import('mind-ar/src/image-target/detector/detector.js');
  const cachePath = path.join(dir, 'features.json');
  const cache = fs.existsSync(cachePath) ? JSON.parse(fs.readFileSync(cachePath, 'utf8')) : {};
  const detectors = new Map();
  let dirty = false;
  const out = {};
  for (const name of names) {
    const file = path.join(dir, name), stamp = `${fs.statSync(file).size}:${fs.statSync(file).mtimeMs}`;
    if (!cache[name] || cache[name].stamp !== stamp) {
      const frame = readGrey(file);
      const key = `${frame.width}x${frame.height}`;
      if (!detectors.has(key)) detectors.set(key, new Detector(frame.width, frame.height));
      const { featurePoints } = tf.tidy(() => detectors.get(key).detect(
        tf.tensor(frame.data, [frame.data.length], 'float32').reshape([frame.height, frame.width])));
      cache[name] = { stamp, width: frame.width, height: frame.height, featurePoints };
      dirty = true;
    }
    out[name] = cache[name];
  }
  if (dirty) fs.writeFileSync(cachePath, JSON.stringify(cache));
  return out;
}

async function matchSet(args) {
  const [mindPath, dir, indexArg = '0'] = args;
  if (!dir) fail('usage: match-set TARGET.mind DIR [TARGET_INDEX|all]');
  const tf = await tfjs();
  const { Matcher } = await import('mind-ar/src/image-target/matching/matcher.js');
  const { Estimator } = await import('mind-ar/src/image-target/estimation/estimator.js');
  const { solveHomography } = await import('mind-ar/src/image-target/utils/homography.js');
  const { buildModelViewProjectionTransform, computeScreenCoordiate } = await import('mind-ar/src/image-target/estimation/utils.js');

  const { dataList } = loadMind(mindPath);
  const indexes = indexArg === 'all' ? dataList.map((_, i) => i) : [Number(indexArg)];
  if (!indexes.every((i) => dataList[i])) fail(`no target ${indexArg} in ${mindPath}`);
  const truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8'));
  const detected = await detectFrames(tf, dir, Object.keys(truth.frames));

  const perFrame = [];
  let found = 0, within = 0, errSum = 0;
  for (const [name, T] of Object.entries(truth.frames)) {
    const { width: fw, height: fh, featurePoints } = detected[name];
    const f = (fh / 2) / Math.tan((45 * Math.PI / 180) / 2);
    const projection = [[f, 0, fw / 2], [0, f, fh / 2], [0, 0, 1]];
    const row = { frame: name, points: featurePoints.length, found: false };
    perFrame.push(row);
    for (const index of indexes) {
      const target = dataList[index];
      const result = new Matcher(fw, fh).matchDetection(target.matchingData, featurePoints);
      if (result.keyframeIndex === -1) continue;
      const pose = new Estimator(projection).estimate({ screenCoords: result.screenCoords, worldCoords: result.worldCoords });
      if (!pose) continue;
      const { width: w, height: h } = target.targetImage;
      // truth is in the original photo's pixel-centre coordinates; the .mind may come from a resized copy
      const sx = truth.target[0] / w, sy = truth.target[1] / h;
      const H = solveHomography(result.worldCoords.map((p) => [p.x, p.y]), result.screenCoords.map((p) => [p.x, p.y]));
      const mvp = buildModelViewProjectionTransform(projection, pose);
      let err = 0, poseErr = 0;
      for (const [x, y] of [[0, 0], [w, 0], [w, h], [0, h]]) {
        const [tx, ty] = applyH(T, x * sx - 0.5, y * sy - 0.5);
        const [px, py] = applyH(H, x, y);
        const q = computeScreenCoordiate(mvp, x, y, 0);
        err += Math.hypot(px - tx, py - ty) / 4;
        poseErr += Math.hypot(q.x - tx, q.y - ty) / 4;
      }
      Object.assign(row, { found: true, target: index, keyframe: result.keyframeIndex, matches: result.worldCoords.length,
        cornerErr: +err.toFixed(3), poseCornerErr: +poseErr.toFixed(3) });
      found++;
      errSum += err;
      if (err <= MAX_CORNER_ERROR) within++;
      break;
    }
  }
  done({ mind: mindPath, frames: perFrame.length, found, within5px: within,
    meanCornerErr: found ? +(errSum / found).toFixed(3) : null, perFrame });
}

// ---------------------------------------------------------------------------------------------
// runtime: what the browser runtime does to a still camera's frames until it finds the target
// (controller.js _detectAndMatch): the frame's grey as input-loader.js computes it (luma in
// float32), CropDetector.detectMoving over its 9 crop positions starting at the centre, as over 9
// video frames, and Matcher.matchDetection on each crop's points until one finds the target.
// Frames are the PNG files of DIR (so that every reader decodes the same pixels). Per frame it
// prints the crop step that found the target (or -1), the keyframe, the inlier count and the
// target's corners by the homography of the matched pairs.
async function runtimeMode(args) {
  const [mindPath, dir, indexArg = '0'] = args;
  if (!dir) fail('usage: runtime TARGET.mind DIR [TARGET_INDEX]');
  const tf = await tfjs();
  const { CropDetector } = await import('mind-ar/src/image-target/detector/crop-detector.js');
  const { Matcher } = await import('mind-ar/src/image-target/matching/matcher.js');
  const { solveHomography } = await import('mind-ar/src/image-target/utils/homography.js');
  const target = loadMind(mindPath).dataList[Number(indexArg)];
  if (!target) fail(`no target ${indexArg} in ${mindPath}`);
  const { width: w, height: h } = target.targetImage;
  // with DIR/truth.json (of the JPEG frames these PNGs were made from) each frame also gets the
  // mean corner error against the truth, as match-set measures it
  const truthPath = path.join(dir, 'truth.json');
  const truth = fs.existsSync(truthPath) ? JSON.parse(fs.readFileSync(truthPath, 'utf8')) : null;
  const crops = new Map();
  const frames = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort()) {
    const { width, height, rgba } = readRgba(path.join(dir, name));
    const grey = new Float32Array(width * height);
    for (let i = 0; i < grey.length; i++) grey[i] = 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2];
    const key = `${width}x${height}`;
    if (!crops.has(key)) crops.set(key, new CropDetector(width, height));
    const crop = crops.get(key);
    crop.lastRandomIndex = 4;
    const matcher = new Matcher(width, height);
    const row = { frame: name, step: -1 };
    for (let step = 0; step < 9; step++) {
      const { featurePoints } = tf.tidy(() => crop.detectMoving(tf.tensor(grey, [height, width], 'float32')));
      const r = matcher.matchDetection(target.matchingData, featurePoints);
      if (r.keyframeIndex === -1) continue;
      Object.assign(row, { step, keyframe: r.keyframeIndex, matches: r.worldCoords.length });
      if (r.worldCoords.length >= 4) {
        const H = solveHomography(r.worldCoords.map((p) => [p.x, p.y]), r.screenCoords.map((p) => [p.x, p.y]));
        if (H) row.corners = [[0, 0], [w, 0], [w, h], [0, h]].flatMap(([x, y]) => applyH(H, x, y));
      }
      const T = truth && truth.frames[name.replace(/\.png$/, '.jpg')];
      if (T && row.corners) {
        const sx = truth.target[0] / w, sy = truth.target[1] / h;
        row.cornerErr = [[0, 0], [w, 0], [w, h], [0, h]].reduce((sum, [x, y], k) => {
          const [tx, ty] = applyH(T, x * sx - 0.5, y * sy - 0.5);
          return sum + Math.hypot(row.corners[2 * k] - tx, row.corners[2 * k + 1] - ty) / 4;
        }, 0);
      }
      break;
    }
    frames.push(row);
  }
  done({ mind: mindPath, target: Number(indexArg), frames });
}

// ---------------------------------------------------------------------------------------------
// compare: structure of both files, then per keyframe every REF keypoint looks for an OURS point
// of the same kind (maxima/minima) within 1 px; matched pairs give the descriptor Hamming distance
// (of 666 bits) and angle difference, and the share of REF points with a bit-identical counterpart
// (position, scale, angle, descriptor). Tracking points of REF look for an OURS tracking point
// within 1 px, and the tracking images must be equal. Clustering trees are not compared.
function structureOf(content) {
  return content.dataList.map((t) => ({
    width: t.targetImage.width, height: t.targetImage.height,
    matching: t.matchingData.map((k) => ({ width: k.width, height: k.height, scale: k.scale,
      maxima: k.maximaPoints.length, minima: k.minimaPoints.length })),
    tracking: t.trackingData.map((k) => ({ width: k.width, height: k.height, scale: k.scale, points: k.points.length })),
  }));
}

const popcount = (x) => { x >>>= 0; let c = 0; while (x) { x &= x - 1; c++; } return c; };

function compare(args) {
  const [oursPath, refPath] = args;
  if (!refPath) fail('usage: compare OURS.mind REF.mind');
  const ours = loadMind(oursPath), ref = loadMind(refPath);
  const so = structureOf(ours), sr = structureOf(ref);
  const sameScale = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  const sameFrames = (a, b) => a.length === b.length && a.every((k, i) =>
    k.width === b[i].width && k.height === b[i].height && sameScale(k.scale, b[i].scale));
  const structureEqual = so.length === sr.length && so.every((t, i) =>
    t.width === sr[i].width && t.height === sr[i].height && sameFrames(t.matching, sr[i].matching) && sameFrames(t.tracking, sr[i].tracking));

  // worst relative point-count difference over all keyframes (matching: maxima + minima)
  let maxCountDeviation = 0, worstKeyframe = null;
  const deviation = (o, r, where) => {
    const d = Math.abs(o - r) / Math.max(r, 1);
    if (d > maxCountDeviation) { maxCountDeviation = d; worstKeyframe = { where, ours: o, ref: r }; }
  };
  let refTotal = 0, matched = 0, identical = 0, hamSum = 0, angSum = 0, trRef = 0, trFound = 0, trackingDataEqual = true;
  ref.dataList.forEach((rt, t) => {
    const ot = ours.dataList[t];
    rt.matchingData.forEach((rk, k) => {
      const ok = ot && ot.matchingData[k];
      const pts = ok ? [...ok.maximaPoints, ...ok.minimaPoints] : [];
      deviation(pts.length, rk.maximaPoints.length + rk.minimaPoints.length, `target ${t} matching ${k}`);
      for (const p of [...rk.maximaPoints, ...rk.minimaPoints]) {
        refTotal++;
        let best = null, bestD = 1.0;
        for (const q of pts) {
          if (q.maxima !== p.maxima) continue;
          const d = Math.hypot(q.x - p.x, q.y - p.y);
          if (d <= bestD) { bestD = d; best = q; }
        }
        if (!best) continue;
        matched++;
        if (best.x === p.x && best.y === p.y && best.scale === p.scale && best.angle === p.angle
          && best.descriptors.every((v, i) => v === p.descriptors[i])) identical++;
        hamSum += p.descriptors.reduce((s, v, i) => s + popcount(v ^ best.descriptors[i]), 0);
        const da = Math.abs(p.angle - best.angle) % (2 * Math.PI);
        angSum += Math.min(da, 2 * Math.PI - da);
      }
    });
    rt.trackingData.forEach((rk, k) => {
      const ok = ot && ot.trackingData[k];
      deviation(ok ? ok.points.length : 0, rk.points.length, `target ${t} tracking ${k}`);
      if (!ok || !ok.data || ok.data.length !== rk.data.length || ok.data.some((v, i) => v !== rk.data[i])) trackingDataEqual = false;
      for (const p of rk.points) {
        trRef++;
        if (ok && ok.points.some((q) => Math.hypot(q.x - p.x, q.y - p.y) <= 1)) trFound++;
      }
    });
  });
  done({
    structureEqual, trackingDataEqual,
    maxCountDeviation: +maxCountDeviation.toFixed(4), worstKeyframe,
    keypointRecall: +(matched / Math.max(refTotal, 1)).toFixed(4),
    identicalKeypoints: +(identical / Math.max(refTotal, 1)).toFixed(4),
    meanDescriptorDistance: +(hamSum / Math.max(matched, 1)).toFixed(3),
    meanAngleDiff: +(angSum / Math.max(matched, 1)).toFixed(4),
    trackingRecall: +(trFound / Math.max(trRef, 1)).toFixed(4),
    refKeypoints: refTotal, refTrackingPoints: trRef,
    ours: so, ref: sr,
  });
}

const [command, ...rest] = process.argv.slice(2);
const commands = { compile, frames, 'match-set': matchSet, runtime: runtimeMode, compare };
if (!commands[command]) fail(`unknown command ${command}; use one of ${Object.keys(commands).join(', ')}`);
await commands[command](rest);
