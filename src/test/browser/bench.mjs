// The viewer on a slow and on a fast network: Debian's chromium (headless, software WebGL, the fake
// camera of view.mjs) with the DevTools protocol's throttling, per profile first with an empty cache,
// then again with the cache the first visit left. Profiles: Lighthouse's "Slow 4G" (1.6 Mbps down,
// 750 kbps up, 150 ms round trip) and "fast" (20 Mbps down, 10 Mbps up, 40 ms). Prints one JSON line:
// per visit the bytes on the wire by resource until targetFound (video bodies aside), the time from
// the request to targetFound, what the plane showed at targetFound (the poster, or nothing until the
// video's first frame), the time from targetFound to the video playing, the rendition chosen, and on
// the empty-cache visit the stalls in the first playSeconds of playback (a stall: the playing video's
// time stands still for 300 ms or more) and the video bytes that took. DeliveryBench runs it.
// Usage: node bench.mjs '{"url":..., "camera":..., "executable":..., "playSeconds": 20}'
import { chromium } from 'playwright-core';

const opts = JSON.parse(process.argv[2]);
const PROFILES = {
  'Slow 4G': { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 },
  fast: { offline: false, latency: 40, downloadThroughput: 20e6 / 8, uploadThroughput: 10e6 / 8 }
};
const playSeconds = opts.playSeconds || 20;
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
  for (const profile of opts.profiles || Object.keys(PROFILES)) {
    const context = await browser.newContext({ viewport: { width: 640, height: 480 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', PROFILES[profile]);
    let requests = new Map();
    let videoBytes = 0;
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
    cdp.on('Network.dataReceived', e => {
      const r = requests.get(e.requestId);
      if (r && (r.mime || '').startsWith('video/')) { videoBytes += e.encodedDataLength; }
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
      const shown = await page.evaluate(() => (window.arViewer.shownAtFound || [])[0] || null);
      await page.waitForFunction(() => window.arViewer.videos.some(v => v && !v.paused && v.currentTime > 0), null,
        { timeout: 120000, polling: 50 });
      const playing = Date.now();
      const rendition = await page.evaluate(() => {
        const v = window.arViewer;
        return ((v.renditions && v.renditions[0]) || v.videos[0].currentSrc || '').replace(/.*\//, '');
      });
      const resources = [...requests.values()]
        .filter(r => r.finishedAt && r.finishedAt <= found && !(r.mime || '').startsWith('video/'))
        .map(r => ({ path: new URL(r.url).pathname, status: r.status, encoding: r.encoding, cached: r.cached, bytes: r.bytes }));
      const entry = {
        profile,
        visit,
        foundMs: found - t0,
        shownAtFound: shown || 'nothing (no poster)',
        videoPlayingMs: playing - found,
        rendition,
        kbps: await page.evaluate(() => window.arViewer.kbps === undefined ? null : window.arViewer.kbps),
        wireBytes: resources.reduce((n, r) => n + r.bytes, 0),
        resources
      };
      if (visit === 'empty cache') {
        videoBytes = 0;
        Object.assign(entry, await watchPlayback(page, playSeconds), { videoBytes });
      }
      result.visits.push(entry);
    }
    await context.close();
  }
} catch (e) {
  result.failure = String(e && e.stack || e).slice(0, 1000);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

/**
 * Watches the first video for `seconds` of playback (its time summed over loops), or two minutes of
 * the wall clock at most: the stalls (time standing still for 300 ms or more while playing) and
 * their total length.
 */
async function watchPlayback(page, seconds) {
  return page.evaluate(seconds => new Promise(resolve => {
    const video = window.arViewer.videos.find(Boolean);
    const start = performance.now();
    let played = 0, last = video.currentTime, lastMove = start, stalled = false, stalls = 0, stalledMs = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      const t = video.currentTime;
      if (t !== last) {
        played += t > last ? t - last : t;  // a loop starts again from 0
        if (stalled) { stalledMs += now - lastMove; stalled = false; }
        last = t;
        lastMove = now;
      } else if (!video.paused && !stalled && now - lastMove >= 300) {
        stalled = true;
        stalls++;
      }
      if (played >= seconds || now - start > 120000) {
        clearInterval(timer);
        if (stalled) { stalledMs += now - lastMove; }
        resolve({ playedSeconds: Math.round(played * 10) / 10, watchedMs: Math.round(now - start), stalls,
          stalledMs: Math.round(stalledMs) });
      }
    }, 50);
  }), seconds);
}
