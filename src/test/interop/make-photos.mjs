// node make-photos.mjs OUTDIR
// Generates the interop test photos (seeded, deterministic): three landscape-like scenes of
// different sizes, with sky, ridges, buildings, trees, signs and textured ground, so MindAR finds
// features at every scale; and a bookshelf scene, unrelated to them, used as the negative.
import fs from 'fs';
import path from 'path';
import { rng, newImage, writeJpeg, gaussianBlur, valueNoise } from './image-utils.mjs';

const clamp = (v) => Math.max(0, Math.min(255, v));

function put(img, x, y, rgb) {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const o = 3 * (y * img.width + x);
  img.data[o] = clamp(rgb[0]); img.data[o + 1] = clamp(rgb[1]); img.data[o + 2] = clamp(rgb[2]);
}

function fillRect(img, x0, y0, w, h, colour) {
  for (let y = Math.floor(y0); y < y0 + h; y++) for (let x = Math.floor(x0); x < x0 + w; x++) put(img, x, y, colour(x, y));
}

function fillPolygon(img, pts, colour) {
  const ys = pts.map((p) => p[1]), xs = pts.map((p) => p[0]);
  for (let y = Math.max(0, Math.floor(Math.min(...ys))); y <= Math.min(img.height - 1, Math.ceil(Math.max(...ys))); y++) {
    for (let x = Math.max(0, Math.floor(Math.min(...xs))); x <= Math.min(img.width - 1, Math.ceil(Math.max(...xs))); x++) {
      let inside = false;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [xi, yi] = pts[i], [xj, yj] = pts[j];
        if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
      }
      if (inside) put(img, x, y, colour(x, y));
    }
  }
}

function fillEllipse(img, cx, cy, rx, ry, colour) {
  for (let y = Math.floor(cy - ry); y <= cy + ry; y++) {
    for (let x = Math.floor(cx - rx); x <= cx + rx; x++) {
      if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) put(img, x, y, colour(x, y));
    }
  }
}

// Fractal 1D profile in [0, 1) for ridge lines.
function profile(width, random, cell) {
  const n = valueNoise(width, 1, cell, 5, random);
  return Array.from(n);
}

function landscape(width, height, seed) {
  const random = rng(seed);
  const img = newImage(width, height);
  const tex = valueNoise(width, height, 24, 5, random);
  const clouds = valueNoise(width, height, Math.max(width, height) / 4, 6, random);
  const horizon = height * random.range(0.35, 0.5);
  const skyTop = [random.range(40, 90), random.range(90, 140), random.range(170, 230)];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = y / horizon, c = Math.max(0, clouds[y * width + x] - 0.45) * 3;
      put(img, x, y, skyTop.map((v) => v * (1 - t) + 225 * t + c * (250 - v)));
    }
  }
  // two ridges of mountains, far (pale) then near (dark, strongly textured)
  for (const [base, amp, tone] of [[horizon - height * 0.12, height * 0.25, 150], [horizon, height * 0.18, 95]]) {
    const ridge = profile(width, random, width / 3);
    const pts = [[0, height]];
    for (let x = 0; x < width; x += 4) pts.push([x, base - amp * ridge[x] + amp / 2]);
    pts.push([width - 1, base - amp * ridge[width - 1] + amp / 2], [width - 1, height]);
    const tint = [random.range(0.8, 1.1), random.range(0.8, 1.1), random.range(0.8, 1.2)];
    fillPolygon(img, pts, (x, y) => tint.map((k) => k * tone * (0.55 + 0.9 * tex[y * width + x])));
  }
  // ground with grass texture and a winding path
  const grass = valueNoise(width, height, 5, 3, random);
  const groundTop = horizon + height * random.range(0.08, 0.15);
  const pathX = random.range(0.3, 0.7) * width;
  for (let y = Math.floor(groundTop); y < height; y++) {
    for (let x = 0; x < width; x++) {
      const g = tex[y * width + x], gr = grass[y * width + x];
      const half = 10 + 90 * (y - groundTop) / (height - groundTop);
      const onPath = Math.abs(x - pathX - 60 * Math.sin(y / 40)) < half;
      put(img, x, y, onPath ? [150 + 70 * gr, 130 + 60 * gr, 90 + 40 * g] : [50 + 80 * g, 100 + 90 * gr, 30 + 40 * g]);
    }
  }
  // buildings with windows and roofs along the ground line
  const nb = 4 + random.int(5);
  for (let b = 0; b < nb; b++) {
    const bw = random.range(0.06, 0.16) * width, bh = random.range(0.1, 0.3) * height;
    const bx = random.range(0, width - bw), by = groundTop + random.range(-0.02, 0.06) * height - bh;
    const wall = [random.range(120, 240), random.range(100, 220), random.range(80, 200)];
    fillRect(img, bx, by, bw, bh, (x, y) => wall.map((v) => v * (0.85 + 0.3 * tex[y * width + x])));
    const roof = [random.range(80, 180), random.range(30, 90), random.range(20, 70)];
    fillPolygon(img, [[bx - 6, by], [bx + bw / 2, by - random.range(0.3, 0.7) * bw], [bx + bw + 6, by]], () => roof);
    const ww = random.range(5, 12), wh = random.range(7, 16), gap = random.range(6, 14);
    for (let y = by + gap; y + wh < by + bh - gap; y += wh + gap) {
      for (let x = bx + gap; x + ww < bx + bw - gap; x += ww + gap) {
        const lit = random() < 0.3 ? 220 : 40;
        fillRect(img, x, y, ww, wh, () => [lit, lit * 0.9, lit * 0.6]);
      }
    }
  }
  // trees: clusters of dark green discs with a trunk
  const nt = 8 + random.int(10);
  for (let t = 0; t < nt; t++) {
    const tx = random.range(0, width), ty = random.range(groundTop, height * 0.95), r = random.range(10, 40) * (0.5 + ty / height);
    fillRect(img, tx - r / 6, ty, r / 3, r * 1.2, () => [80, 55, 30]);
    for (let k = 0; k < 7; k++) {
      const shade = random.range(25, 90);
      fillEllipse(img, tx + random.range(-r, r) * 0.7, ty - random.range(0, r), r * random.range(0.5, 0.8), r * random.range(0.5, 0.8),
        (x, y) => [shade * 0.5, shade + 60 * grass[y * width + x], shade * 0.4]);
    }
  }
  // a few signs with text-like strokes, and stones in the foreground
  for (let s = 0; s < 3; s++) {
    const sw = random.range(60, 140), sh = random.range(30, 60), sx = random.range(0, width - sw), sy = random.range(groundTop, height - sh);
    fillRect(img, sx, sy, sw, sh, () => [235, 230, 210]);
    for (let y = sy + 6; y + 6 < sy + sh; y += 10) {
      for (let x = sx + 6; x < sx + sw - 8;) {
        const lw = random.range(3, 14);
        fillRect(img, x, y, Math.min(lw, sx + sw - 6 - x), 5, () => [30, 30, 40]);
        x += lw + random.range(2, 6);
      }
    }
  }
  for (let s = 0; s < 25; s++) {
    const g = random.range(90, 200);
    fillEllipse(img, random.range(0, width), random.range(groundTop, height), random.range(3, 14), random.range(2, 9), (x, y) => [g, g * 0.95, g * 0.9].map((v) => v * (0.7 + 0.5 * tex[y * width + x])));
  }
  return img;
}

function bookshelf(width, height, seed) {
  const random = rng(seed);
  const img = newImage(width, height);
  const wood = valueNoise(width, height, 16, 4, random);
  fillRect(img, 0, 0, width, height, (x, y) => [110 + 60 * wood[y * width + x], 70 + 40 * wood[y * width + x], 35]);
  const shelves = 4;
  for (let s = 0; s < shelves; s++) {
    const top = s * height / shelves + 12, bottom = (s + 1) * height / shelves - 10;
    for (let x = 8; x < width - 20;) {
      const bw = random.range(12, 45), bh = random.range(0.6, 0.98) * (bottom - top);
      const col = [random.range(20, 230), random.range(20, 230), random.range(20, 230)];
      fillRect(img, x, bottom - bh, bw, bh, (xx, yy) => col.map((v) => v * (0.85 + 0.3 * wood[yy * width + xx])));
      for (let b = 0; b < 3; b++) fillRect(img, x + 3, bottom - bh + random.range(5, bh - 10), bw - 6, random.range(2, 6), () => [240, 220, 120]);
      x += bw + random.range(1, 4);
    }
  }
  return img;
}

const outDir = process.argv[2];
if (!outDir) { console.error('usage: make-photos.mjs OUTDIR'); process.exit(2); }
fs.mkdirSync(outDir, { recursive: true });
const photos = [
  ['landscape-800x640.jpg', landscape(800, 640, 11)],
  ['portrait-640x800.jpg', landscape(640, 800, 23)],
  ['wide-1024x768.jpg', landscape(1024, 768, 37)],
  ['negative-bookshelf-720x540.jpg', bookshelf(720, 540, 51)],
];
for (const [name, img] of photos) {
  const random = rng(name.length);
  const out = gaussianBlur(img, 0.6);
  for (let i = 0; i < out.data.length; i++) out.data[i] += 2 * random.gauss();
  writeJpeg(out, path.join(outDir, name), 80);
}
console.log(JSON.stringify({ dir: outDir, photos: photos.map(([n]) => n) }));
