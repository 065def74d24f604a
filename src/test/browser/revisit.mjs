// WebKitGTK's second visit with a disk cache, as Safari on a phone has one. WebDriver's MiniBrowser
// sessions keep website data in memory only, so bench.mjs's warm WebKit visit fetches again what
// WebKit's memory cache does not keep across pages (the target, which MindAR fetch()es). Here
// MiniBrowser runs without automation, twice on one profile folder, each run a new process (only
// the disk cache stays), through throttle.mjs's Slow 4G link and drivers.mjs's camera proxy. With
// no script to drive it, the page's own analytics tell when the print was found (the "ready" event's
// ms since navigation plus the "found" event's ms since ready) and when the video started; each run
// ends 2 s after that. Prints one JSON line: per visit foundMs and the bytes by resource the link
// carried (video and the analytics reports aside).
// Usage (under xvfb-run): node revisit.mjs '{"url":..., "photo":..., "minibrowser":...}'
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MINIBROWSER, shimProxy } from './drivers.mjs';
import { PROFILES, throttledLink } from './throttle.mjs';

const opts = JSON.parse(process.argv[2]);
const service = new URL(opts.url);
const profile = mkdtempSync(join(tmpdir(), 'ar-webkit-profile-'));
const link = await throttledLink({ host: service.hostname, port: service.port }, PROFILES['Slow 4G']);
let events = [];
const proxy = await shimProxy(new URL(`http://localhost:${link.port}`), opts.photo, () => {}, r => {
  if (r.method === 'POST' && r.path.endsWith('/events')) {
    try { events.push(...JSON.parse(r.body).events); } catch { /* not a report */ }
  }
});
const result = { engine: 'webkit', cache: 'disk', network: 'Slow 4G', visits: [] };
try {
  for (const visit of ['empty cache', 'warm cache']) {
    events = [];
    link.reset();
    const browser = spawn(opts.minibrowser || MINIBROWSER, ['--enable-media-stream=true', '--enable-webgl=true',
      '--autoplay-policy=allow', `http://localhost:${proxy.port}${service.pathname}`], {
      stdio: 'ignore',
      env: { ...process.env, XDG_CACHE_HOME: join(profile, 'cache'), XDG_DATA_HOME: join(profile, 'data'),
        XDG_CONFIG_HOME: join(profile, 'config') }
    });
    const exited = new Promise(resolve => browser.on('exit', resolve));
    const deadline = Date.now() + 90000;
    while (Date.now() < deadline && !events.some(e => e.name === 'video')) {
      await new Promise(r => setTimeout(r, 200));
    }
    await new Promise(r => setTimeout(r, 2000));
    browser.kill();
    await exited;
    const ready = events.find(e => e.name === 'ready');
    const found = events.find(e => e.name === 'found');
    const resources = link.requests().filter(r => !/\.(mp4|webm|mov)$/.test(r.path) && !r.path.endsWith('/events'));
    result.visits.push({
      visit,
      foundMs: ready && found ? ready.ms + found.ms : null,
      videoStarted: events.some(e => e.name === 'video'),
      wireBytes: resources.reduce((n, r) => n + r.bytes, 0),
      resources: resources.map(r => ({ path: r.path, status: r.status, encoding: r.encoding, bytes: r.bytes }))
    });
  }
} catch (e) {
  result.failure = String(e && e.stack || e).slice(0, 1000);
} finally {
  proxy.close();
  await link.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
