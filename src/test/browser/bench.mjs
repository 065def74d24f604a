// The viewer on a slow mobile network: Debian's chromium (headless, software WebGL, the fake camera
// of view.mjs) with the DevTools protocol's throttling at Lighthouse's "Slow 4G" (1.6 Mbps down,
// 750 kbps up, 150 ms round trip), first with an empty cache, then again with the cache the first
// visit left. Prints one JSON line: per visit the bytes on the wire by resource until targetFound
// (video bodies aside), the time from the request to targetFound, and from targetFound to the
// video playing. DeliveryBench runs it against a jar.
// Usage: node bench.mjs '{"url":..., "camera":..., "executable":...}'
import { chromium } from 'playwright-core';

const opts = JSON.parse(process.argv[2]);
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const browser = await chromium.launch({
  executablePath: opts.executable || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--use-file-for-fake-video-capture=' + opts.camera, '--autoplay-policy=no-user-gesture-required',
    '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
});
const result = { visits: [] };
try {
  const context = await browser.newContext({ viewport: { width: 640, height: 480 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  let requests = new Map();
  cdp.on('Network.requestWillBeSent', e => requests.set(e.requestId, { url: e.request.url }));
  cdp.on('Network.responseReceived', e => {
    const r = requests.get(e.requestId);
    if (r) {
      r.mime = e.response.mimeType;
      r.encoding = e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || null;
      r.cached = e.response.fromDiskCache || e.response.fromMemoryCache || false;
      r.status = e.response.status;
    }
  });
  cdp.on('Network.loadingFinished', e => {
    const r = requests.get(e.requestId);
    if (r) { r.bytes = e.encodedDataLength; r.finishedAt = Date.now(); }
  });
  for (const visit of ['empty cache', 'warm cache']) {
    requests = new Map();
    const t0 = Date.now();
    await page.goto(opts.url, { waitUntil: 'commit', timeout: 120000 });
    await page.waitForFunction(() => window.arViewer && window.arViewer.foundEver.some(Boolean), null,
      { timeout: 180000, polling: 50 });
    const found = Date.now();
    await page.waitForFunction(() => window.arViewer.videos.some(v => v && !v.paused && v.currentTime > 0), null,
      { timeout: 60000, polling: 50 });
    const playing = Date.now();
    const resources = [...requests.values()]
      .filter(r => r.finishedAt && r.finishedAt <= found && !(r.mime || '').startsWith('video/'))
      .map(r => ({ path: new URL(r.url).pathname, status: r.status, encoding: r.encoding, cached: r.cached, bytes: r.bytes }));
    result.visits.push({
      visit,
      foundMs: found - t0,
      videoPlayingMs: playing - found,
      wireBytes: resources.reduce((n, r) => n + r.bytes, 0),
      resources
    });
  }
} catch (e) {
  result.failure = String(e && e.stack || e).slice(0, 1000);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
