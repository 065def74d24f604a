// Opens a viewer page in WebKitGTK's MiniBrowser (the engine of Safari on iPhone), driven over W3C
// WebDriver by WebKitWebDriver, and prints one JSON line like engines.mjs. The page comes through
// drivers.mjs's proxy, which puts the canvas camera into it and records each response's
// Content-Encoding.
// After targetFound the page is opened again (warm cache) and must find the print once more. With
// "network" ("Slow 4G" or "fast") the proxy fetches over throttle.mjs's link of that profile.
// Usage (under xvfb-run): node webkit.mjs '{"url":...,"photo":...,"foundTimeoutMs":...,"network":...}'
import { shimProxy, webKitSession } from './drivers.mjs';
import { throttledUrl } from './throttle.mjs';

const opts = JSON.parse(process.argv[2]);
const target = new URL(opts.url);
const result = { engine: 'webkit', console: [], responses: [], csp: [] };
const link = await throttledUrl(opts.url, opts.network, opts.hangVideoAfterBytes);
const proxy = await shimProxy(new URL(link.url), opts.photo, r => result.responses.push(r));
const proxied = `http://localhost:${proxy.port}${target.pathname}${target.search}`;
const sleep = ms => new Promise(r => setTimeout(r, ms));
let webkit = null;
try {
  webkit = await webKitSession(opts.minibrowser);
  const call = webkit.call;
  const t0 = Date.now();
  await call('POST', webkit.path + '/url', { url: proxied });
  // (the viewer's "error" is named "problem" here: WebDriver answers carry errors as value.error)
  const state = () => call('POST', webkit.path + '/execute/sync', { script:
    'const v = window.arViewer; return v && { phase: v.phase, problem: v.error, foundEver: v.foundEver.map(Boolean),' +
    ' videos: v.videos.map(x => x && { paused: x.paused, time: x.currentTime }), renditions: v.renditions,' +
    ' kbps: v.kbps, restarts: v.restarts, csp: window.cspViolations };', args: [] });
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
    await call('POST', webkit.path + '/url', { url: proxied + (proxied.includes("?") ? "&" : "?") + "visit=2" });
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
  if (webkit) await webkit.close();
  proxy.close();
  await link.close();
}
console.log(JSON.stringify(result));
