// The viewer on a slow and on a fast network, per profile first with an empty cache, then again
// with the cache the first visit left. Engines: Debian's chromium (headless, software WebGL, the
// fake camera of view.mjs) throttled by the DevTools protocol, or ("throttle": "link") by
// throttle.mjs's relay; Firefox ESR and WebKitGTK (under xvfb, the canvas camera of drivers.mjs)
// always by the relay. Profiles: Lighthouse's "Slow 4G" (1.6 Mbps down, 750 kbps up, 150 ms round
// trip) and "fast" (20 Mbps down, 10 Mbps up, 40 ms). Prints one JSON line: per visit the bytes on
// the wire by resource until targetFound (video bodies aside), the time from the request to
// targetFound, what the plane showed at targetFound (the poster, or nothing until the video's first
// frame), the time from targetFound to the video playing, the rendition chosen, and on the
// empty-cache visit the stalls in the first playSeconds of playback (a stall: the playing video's
// time stands still for 300 ms or more), the video bytes that took and how often the viewer loaded
// the video anew as stuck. DeliveryBench runs it.
// Usage: node bench.mjs '{"url":..., "engine": "chromium"|"firefox"|"webkit", "camera": (chromium's
// MJPEG), "photo": (the others' print), "executable":..., "throttle": "devtools"|"link",
// "playSeconds": 20}'
import { chromium } from 'playwright-core';
import { cameraShim } from './camera-shim.mjs';
import { launchFirefox, shimProxy, webKitSession } from './drivers.mjs';
import { PROFILES as LINKS, throttledLink } from './throttle.mjs';

const opts = JSON.parse(process.argv[2]);
const engine = opts.engine || 'chromium';
// DevTools throttling exists only in Chromium; the other engines meet throttle.mjs's link
const devtools = engine === 'chromium' && opts.throttle !== 'link';
const PROFILES = {
  'Slow 4G': { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 },
  fast: { offline: false, latency: 40, downloadThroughput: 20e6 / 8, uploadThroughput: 10e6 / 8 }
};
const VIDEO = /\.(mp4|webm|mov)$/;
const playSeconds = opts.playSeconds || 20;
const service = new URL(opts.url);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const result = { engine, throttle: devtools ? 'devtools' : 'link', visits: [] };
try {
  for (const profile of opts.profiles || Object.keys(PROFILES)) {
    const link = devtools ? null : await throttledLink({ host: service.hostname, port: service.port }, LINKS[profile]);
    const origin = link ? new URL(`http://localhost:${link.port}`) : service;
    const tab = await ({ chromium: openChromium, firefox: openFirefox, webkit: openWebKit })[engine](origin, profile);
    try {
      for (const visit of ['empty cache', 'warm cache']) {
        tab.reset();
        if (link) link.reset();
        const t0 = Date.now();
        await tab.goto(origin.origin + service.pathname + (visit === 'warm cache' ? tab.again : ''));
        await waitFor(tab, () => window.arViewer && window.arViewer.foundEver.some(Boolean), 180000);
        const found = Date.now();
        const resources = link
          ? link.requests().filter(r => !VIDEO.test(r.path)).map(r => ({ ...r, cached: false }))
          : tab.resources(found);
        const shown = await tab.evaluate(() => (window.arViewer.shownAtFound || [])[0] || null);
        await waitFor(tab, () => window.arViewer.videos.some(v => v && !v.paused && v.currentTime > 0), 120000);
        const playing = Date.now();
        const rendition = await tab.evaluate(() => {
          const v = window.arViewer;
          return ((v.renditions && v.renditions[0]) || v.videos[0].currentSrc || '').replace(/.*\//, '');
        });
        const entry = {
          profile,
          visit,
          foundMs: found - t0,
          shownAtFound: shown || 'nothing (no poster)',
          videoPlayingMs: playing - found,
          rendition,
          kbps: await tab.evaluate(() => window.arViewer.kbps === undefined ? null : window.arViewer.kbps),
          wireBytes: resources.reduce((n, r) => n + r.bytes, 0),
          resources: resources.map(r => ({ path: r.path, status: r.status, encoding: r.encoding, cached: r.cached, bytes: r.bytes }))
        };
        if (visit === 'empty cache') {
          const videoBytes = () => link
            ? link.requests().filter(r => VIDEO.test(r.path)).reduce((n, r) => n + r.bytes, 0)
            : tab.videoBytes();
          const before = videoBytes();
          const playback = await tab.evaluate(watchPlayback, playSeconds);
          Object.assign(entry, playback, { videoBytes: videoBytes() - before,
            restarts: await tab.evaluate(() => (window.arViewer.restarts || [])[0] || 0) });
        }
        result.visits.push(entry);
      }
    } finally {
      await tab.close();
      if (link) await link.close();
    }
  }
} catch (e) {
  result.failure = String(e && e.stack || e).slice(0, 1000);
}
console.log(JSON.stringify(result));

async function waitFor(tab, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await tab.evaluate(predicate).catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + predicate);
    await sleep(50);
  }
}

/**
 * A tab in a new browser (an empty cache), each engine's own way: {goto(url), evaluate(fn, arg), reset(),
 * close(), again (what a second visit adds to the URL)}; with DevTools throttling also
 * resources(until) (what crossed the wire since reset()) and videoBytes() (all video so far).
 */
async function openChromium(origin, profile) {
  // a browser per profile, as for the other engines: nothing of one profile's visits stays for the next
  const browser = await chromium.launch({
    executablePath: opts.executable || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--use-file-for-fake-video-capture=' + opts.camera, '--autoplay-policy=no-user-gesture-required',
      '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  });
  const context = await browser.newContext({ viewport: { width: 640, height: 480 } });
  const page = await context.newPage();
  const tab = {
    goto: url => page.goto(url, { waitUntil: 'commit', timeout: 120000 }),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    reset: () => {},
    close: () => browser.close(),
    again: ''
  };
  if (!devtools) return tab;
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
  return Object.assign(tab, {
    reset: () => { requests = new Map(); },
    resources: until => [...requests.values()]
      .filter(r => r.finishedAt && r.finishedAt <= until && !(r.mime || '').startsWith('video/'))
      .map(r => ({ ...r, path: new URL(r.url).pathname })),
    videoBytes: () => videoBytes
  });
}

async function openFirefox() {
  const browser = await launchFirefox(opts.executable);
  const page = await browser.newPage();
  await page.setViewport({ width: 640, height: 480 });
  await page.evaluateOnNewDocument(cameraShim(opts.photo));
  return {
    goto: url => page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120000 }),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    reset: () => {},
    close: () => browser.close(),
    again: ''
  };
}

async function openWebKit(origin) {
  const proxy = await shimProxy(origin, opts.photo);
  const webkit = await webKitSession(opts.minibrowser, 180000).catch(e => { proxy.close(); throw e; });
  const page = new URL(`http://localhost:${proxy.port}`);
  return {
    // through the proxy that brings the camera; WebDriver would not navigate to the same URL again
    goto: url => webkit.call('POST', webkit.path + '/url', { url: page.origin + new URL(url).pathname + new URL(url).search }),
    evaluate: (fn, arg) => webkit.call('POST', webkit.path + '/execute/sync',
      { script: `return (${fn})(arguments[0]);`, args: [arg === undefined ? null : arg] }),
    reset: () => {},
    close: async () => { await webkit.close(); proxy.close(); },
    again: '?visit=2'
  };
}

/**
 * Watches the first video for `seconds` of playback (its time summed over loops), or two minutes of
 * the wall clock at most: the stalls (time standing still for 300 ms or more while playing) and
 * their total length.
 */
function watchPlayback(seconds) {
  return new Promise(resolve => {
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
  });
}
