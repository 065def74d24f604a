// Small pure-JS image helpers shared by check.mjs and make-photos.mjs: seeded randomness, PNG/JPEG
// I/O, value noise, blur. Images are {width, height, data: Float32Array RGB (3 floats per pixel)}.
import fs from 'fs';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

/** Seeded PRNG (mulberry32) returning floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.range = (lo, hi) => lo + (hi - lo) * next();
  next.int = (n) => Math.floor(next() * n);
  next.gauss = () => {
    const u = Math.max(next(), 1e-12), v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return next;
}

export function newImage(width, height) {
  return { width, height, data: new Float32Array(width * height * 3) };
}

/** Decodes a PNG or JPEG file into RGBA bytes. */
export function readRgba(path) {
  const buf = fs.readFileSync(path);
  if (buf[0] === 0x89) {
    const png = PNG.sync.read(buf);
    return { width: png.width, height: png.height, rgba: png.data };
  }
  const jpg = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  return { width: jpg.width, height: jpg.height, rgba: jpg.data };
}

export function readRgb(path) {
  const { width, height, rgba } = readRgba(path);
  const img = newImage(width, height);
  for (let i = 0; i < width * height; i++) {
    img.data[3 * i] = rgba[4 * i];
    img.data[3 * i + 1] = rgba[4 * i + 1];
    img.data[3 * i + 2] = rgba[4 * i + 2];
  }
  return img;
}

/** MindAR's compiler grey conversion: floor((r + g + b) / 3). */
export function readGrey(path) {
  const { width, height, rgba } = readRgba(path);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.floor((rgba[4 * i] + rgba[4 * i + 1] + rgba[4 * i + 2]) / 3);
  }
  return { width, height, data };
}

export function writeJpeg(img, path, quality) {
  const { width, height } = img;
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = Math.max(0, Math.min(255, Math.round(img.data[3 * i + c])));
    rgba[4 * i + 3] = 255;
  }
  fs.writeFileSync(path, jpeg.encode({ data: rgba, width, height }, quality).data);
}

/** Separable Gaussian blur of every channel, clamped at the borders. */
export function gaussianBlur(img, sigma) {
  if (sigma <= 0) return img;
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float64Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) { k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma)); s += k[i + r]; }
  for (let i = 0; i < k.length; i++) k[i] /= s;
  const { width: w, height: h } = img;
  const tmp = new Float32Array(img.data.length), out = new Float32Array(img.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const xx = Math.min(w - 1, Math.max(0, x + i));
          acc += k[i + r] * img.data[3 * (y * w + xx) + c];
        }
        tmp[3 * (y * w + x) + c] = acc;
      }
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const yy = Math.min(h - 1, Math.max(0, y + i));
          acc += k[i + r] * tmp[3 * (yy * w + x) + c];
        }
        out[3 * (y * w + x) + c] = acc;
      }
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Fractal value noise in [0, 1): `octaves` lattices starting at `cell` pixels per lattice step,
 * each half the size and half the weight of the previous, smoothly interpolated.
 */
export function valueNoise(width, height, cell, octaves, random) {
  const out = new Float32Array(width * height);
  let amp = 1, total = 0;
  for (let o = 0; o < octaves; o++) {
    const step = Math.max(1, cell / (1 << o));
    const gw = Math.ceil(width / step) + 2, gh = Math.ceil(height / step) + 2;
    const grid = new Float32Array(gw * gh);
    for (let i = 0; i < grid.length; i++) grid[i] = random();
    for (let y = 0; y < height; y++) {
      const fy = y / step, y0 = Math.floor(fy), ty = fy - y0, sy = ty * ty * (3 - 2 * ty);
      for (let x = 0; x < width; x++) {
        const fx = x / step, x0 = Math.floor(fx), tx = fx - x0, sx = tx * tx * (3 - 2 * tx);
        const a = grid[y0 * gw + x0], b = grid[y0 * gw + x0 + 1];
        const c = grid[(y0 + 1) * gw + x0], d = grid[(y0 + 1) * gw + x0 + 1];
        out[y * width + x] += amp * ((a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy);
      }
    }
    total += amp;
    amp /= 2;
  }
  for (let i = 0; i < out.length; i++) out[i] /= total;
  return out;
}
