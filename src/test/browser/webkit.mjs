// Opens a viewer page in WebKitGTK's MiniBrowser (the engine of Safari on iPhone), driven over W3C
// WebDriver by WebKitWebDriver, and prints one JSON line like engines.mjs. WebDriver has no init
// script, so the page is fetched through a small proxy that puts the canvas camera of
// camera-shim.mjs at the top of every HTML page (localhost: still a secure context); the proxy
// passes everything else on as the service sent it and records each response's Content-Encoding.
// After targetFound the page is opened again (warm cache) and must find the print once more.
// Usage (under xvfb-run): node webkit.mjs '{"url":...,"photo":...,"foundTimeoutMs":...}'
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { cameraShim } from './camera-shim.mjs';

const opts = JSON.parse(process.argv[2]);
const MINIBROWSER = opts.minibrowser || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const target = new URL(opts.url);
const shim = '<script>' + cameraShim(opts.photo) + '</script>';
// the page's Content-Security-Policy admits the shim by its hash, and nothing else more
const shimSource = "'sha256-" + createHash('sha256').update(cameraShim(opts.photo)).digest('base64') + "'";
const result = { engine: 'webkit', console: [], responses: [], csp: [] };

const proxy = http.createServer((req, res) => {
  const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method,
    headers: { ...req.headers, host: target.host } }, up => {
    const type = up.headers['content-type'] || '';
    result.responses.push({ path: req.url.replace(/\?.*/, ''), status: up.statusCode,
      encoding: up.headers['content-encoding'] || null });
    if (!type.startsWith('text/html')) {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
      return;
    }
    const chunks = [];
    up.on('data', c => chunks.push(c));
    up.on('end', () => {
      let body = Buffer.concat(chunks);
      const enc = up.headers['content-encoding'];
      if (enc === 'gzip') body = gunzipSync(body);
      else if (enc === 'br') body = brotliDecompressSync(body);
      const html = body.toString('utf8').replace('<head>', '<head>' + shim);
      const headers = { ...up.headers };
      delete headers['content-encoding'];
      delete headers['content-length'];
      if (headers['content-security-policy']) {
        headers['content-security-policy'] = headers['content-security-policy'].replace('script-src', 'script-src ' + shimSource);
      }
      res.writeHead(up.statusCode, headers);
      res.end(html);
    });
  });
  req.pipe(upstream);
});
await new Promise(r => proxy.listen(0, '127.0.0.1', r));
const proxied = `http://localhost:${proxy.address().port}${target.pathname}${target.search}`;

const port = 4444 + Math.floor(Math.random() * 1000);
const driver = spawn('WebKitWebDriver', ['--port=' + port], { stdio: 'ignore' });
const base = `http://127.0.0.1:${port}`;
const call = async (method, path, body) => {
  const r = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await r.json();
  if (json.value && json.value.error) throw new Error(json.value.error + ': ' + json.value.message);
  return json.value;
};
const sleep = ms => new Promise(r => setTimeout(r, ms));
let session = null;
try {
  for (let i = 0; i < 50; i++) {
    try { await call('GET', '/status'); break; } catch { await sleep(200); }
  }
  session = (await call('POST', '/session', { capabilities: { alwaysMatch: {
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', '--enable-media-stream=true',
      '--enable-webgl=true', '--enable-mediasource=true', '--enable-webaudio=true'] } } } })).sessionId;
  const t0 = Date.now();
  await call('POST', `/session/${session}/url`, { url: proxied });
  // (the viewer's "error" is named "problem" here: WebDriver answers carry errors as value.error)
  const state = () => call('POST', `/session/${session}/execute/sync`, { script:
    'const v = window.arViewer; return v && { phase: v.phase, problem: v.error, foundEver: v.foundEver.map(Boolean),' +
    ' videos: v.videos.map(x => x && { paused: x.paused, time: x.currentTime }), csp: window.cspViolations };', args: [] });
  let s = null;
  const deadline = t0 + (opts.foundTimeoutMs || 60000) + 60000;
  while (Date.now() < deadline) {
    s = await state();
    if (s && s.phase === 'ready' && result.readyMs === undefined) result.readyMs = Date.now() - t0;
    if (s && (s.phase === 'camera-error' || s.foundEver.some(Boolean))) break;
    await sleep(250);
  }
  result.foundMs = s && s.foundEver && s.foundEver.some(Boolean) ? Date.now() - t0 : null;
  if (result.foundMs) {
    const until = Date.now() + 20000;
    while (Date.now() < until && !((s = await state()).videos.some(v => v && !v.paused && v.time > 0))) await sleep(250);
  }
  result.viewer = s;
  result.csp.push(...((s && s.csp) || []));
  if (result.foundMs) {
    // again, with what the first visit left in the cache
    const t1 = Date.now();
    await call('POST', `/session/${session}/url`, { url: proxied + (proxied.includes("?") ? "&" : "?") + "visit=2" });
    const until = t1 + (opts.foundTimeoutMs || 60000);
    let again = null;
    while (Date.now() < until) {
      again = await state().catch(() => null);
      if (again && again.foundEver.some(Boolean)) break;
      await sleep(250);
    }
    result.warmFoundMs = again && again.foundEver.some(Boolean) ? Date.now() - t1 : null;
  }
} catch (e) {
  result.failure = String(e && e.stack || e).slice(0, 1000);
} finally {
  if (session) await call('DELETE', `/session/${session}`).catch(() => {});
  driver.kill();
  proxy.close();
}
console.log(JSON.stringify(result));
