// Opens a viewer page in Firefox ESR (WebDriver BiDi through puppeteer-core) with the canvas camera
// of camera-shim.mjs, waits for targetFound and the video, then opens it again (warm cache) and
// waits for targetFound once more. Prints one JSON line, with every response's Content-Encoding and
// the rendition the viewer chose. With "network" ("Slow 4G" or "fast") the page comes over
// throttle.mjs's link of that profile.
// Usage (under xvfb-run): node engines.mjs '{"engine":"firefox","url":...,"photo":...,"foundTimeoutMs":...,"network":...}'
import { cameraShim } from './camera-shim.mjs';
import { launchFirefox } from './drivers.mjs';
import { throttledUrl } from './throttle.mjs';

const opts = JSON.parse(process.argv[2]);
const result = { engine: opts.engine, console: [], responses: [], csp: [] };
const link = await throttledUrl(opts.url, opts.network, opts.hangVideoAfterBytes);
const browser = await launchFirefox(opts.executable);
try {
  const page = await browser.newPage();
  page.on('console', m => {
    if (m.type() === 'error') result.console.push(m.text().slice(0, 300));
    if (/Content.Security.Policy/i.test(m.text())) result.csp.push(m.text().slice(0, 300));
  });
  page.on('response', r => {
    if (r.url().startsWith('http')) {
      result.responses.push({ path: new URL(r.url()).pathname, status: r.status(),
        encoding: r.headers()['content-encoding'] || null });
    }
  });
  await page.setViewport({ width: 640, height: 480 });
  await page.evaluateOnNewDocument(cameraShim(opts.photo));
  const t0 = Date.now();
  const response = await page.goto(link.url, { waitUntil: 'load', timeout: 60000 });
  result.status = response.status();
  await page.waitForFunction(() => window.arViewer && window.arViewer.phase === 'ready', { timeout: 90000, polling: 200 });
  result.readyMs = Date.now() - t0;
  const found = await page.waitForFunction(() => window.arViewer.foundEver.some(Boolean),
    { timeout: opts.foundTimeoutMs || 60000, polling: 200 }).then(() => true, () => false);
  result.foundMs = found ? Date.now() - t0 : null;
  if (found) {
    await page.waitForFunction(() => window.arViewer.videos.some(v => v && !v.paused && v.currentTime > 0),
      { timeout: 20000, polling: 200 }).catch(() => {});
  }
  const viewer = await page.evaluate(() => ({
    phase: window.arViewer.phase, error: window.arViewer.error,
    foundEver: window.arViewer.foundEver.map(Boolean),
    videos: window.arViewer.videos.map(v => v && { paused: v.paused, time: v.currentTime }),
    renditions: window.arViewer.renditions, kbps: window.arViewer.kbps,
    restarts: window.arViewer.restarts
  }));
  result.viewer = viewer;
  result.csp.push(...await page.evaluate(() => window.cspViolations));
  if (found) {
    const t1 = Date.now();
    await page.reload({ waitUntil: 'load' });
    const again = await page.waitForFunction(() => window.arViewer && window.arViewer.foundEver.some(Boolean),
      { timeout: opts.foundTimeoutMs || 60000, polling: 200 }).then(() => true, () => false);
    result.warmFoundMs = again ? Date.now() - t1 : null;
  }
} catch (e) {
  result.failure = String(e && e.stack || e).slice(0, 1000);
} finally {
  await browser.close();
  await link.close();
}
console.log(JSON.stringify(result));
