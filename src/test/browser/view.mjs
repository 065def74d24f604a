// Opens one page of the AR service in Debian's chromium (headless, software WebGL, a fake camera
// playing a video file) and prints what happened as one JSON line; ViewerBrowserTest asserts on it.
// Usage: node view.mjs '<options JSON>' with
//   url          the page
//   camera       MJPEG/y4m file the fake camera plays; absent = the camera permission is refused
//   mode         "status" (a plain page), "camera-error" (wait for the camera-problem screen) or
//                "track" (wait for targetFound, then watch tracking and the video)
//   foundTimeoutMs, observeMs, language, screenshot (PNG path written at the end)
//   revisit      true: after tracking, open the page again (what the first visit cached stays)
//                and wait for targetFound once more: warmFoundMs, and warm {renditions, kbps}
//   signalFile   with mode "status": created once the page follows its event stream; then the
//                page must open the viewer by itself within awaitViewerMs (result.openedViewer)
//   phone        true: a phone's screen (portrait 390x844, device pixel ratio 3, touch) and iOS's
//                autoplay rule (muted video plays; sound only after a tap: an unmuted play() is
//                refused and unmuting a playing video pauses it), then a tap on the unmute button
//   leave        true: at the end, leave the page for about:blank (what a page reports when hidden)
//   gpc          true: the browser sends Global Privacy Control (navigator.globalPrivacyControl)
//   network      "Slow 4G" or "fast": the page comes over throttle.mjs's link of that profile
//   hangVideoAfterBytes  over network's link, the first video response stops after this many bytes
//                and its connection stays open (a connection a phone's network dropped unclosed)
//   cameraAnswerMs  the camera's permission is answered this long after the page asks (a customer
//                reading the prompt); viewer.compiledWhileAsking: what the runtime had compiled then
// The result lists every response as {path, status, encoding} (encoding: the Content-Encoding), and
// in csp what the page's Content-Security-Policy blocked; beacons lists the bodies of the analytics
// reports it sent as {status, bytes}.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { throttledUrl } from './throttle.mjs';

const opts = JSON.parse(process.argv[2]);
const args = ['--no-sandbox', '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
if (opts.camera) {
  args.push('--use-fake-ui-for-media-stream', '--use-file-for-fake-video-capture=' + opts.camera);
}
const browser = await chromium.launch({ executablePath: opts.executable || '/usr/bin/chromium', headless: true, args });
const result = { console: [], responses: [], csp: [], beacons: [] };
let link = null;
// what the browser says when the page's Content-Security-Policy blocks something (result.csp)
const CSP = /Content.Security.Policy/i;
try {
  const context = await browser.newContext({
    ...(opts.phone ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true }
      : { viewport: { width: 640, height: 480 } }),
    extraHTTPHeaders: { 'Accept-Language': opts.language || 'en-US,en;q=0.9' }
  });
  if (opts.gpc) {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
    });
  }
  if (opts.cameraAnswerMs) {
    await context.addInitScript(ms => {
      const ask = MediaDevices.prototype.getUserMedia;
      MediaDevices.prototype.getUserMedia = function () {
        const answer = ask.apply(this, arguments);
        return new Promise(resolve => setTimeout(resolve, ms)).then(() => {
          if (window.arCompiledWhileAsking === undefined) {
            window.arCompiledWhileAsking = (window.arRuntime && window.arRuntime.compiledFor) || null;
          }
          return answer;
        });
      };
    }, opts.cameraAnswerMs);
  }
  if (opts.phone) {
    await context.addInitScript(() => {
      let touched = false;
      for (const type of ['pointerdown', 'touchend', 'click']) {
        window.addEventListener(type, () => { touched = true; }, true);
      }
      const tapped = () => touched;
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function () {
        if (!this.muted && !tapped()) {
          return Promise.reject(new DOMException('play() needs a tap', 'NotAllowedError'));
        }
        return play.apply(this, arguments);
      };
      const muted = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'muted');
      Object.defineProperty(HTMLMediaElement.prototype, 'muted', {
        get() { return muted.get.call(this); },
        set(value) {
          muted.set.call(this, value);
          if (!value && !tapped()) { this.pause(); }
        }
      });
    });
  }
  const page = await context.newPage();
  page.on('console', m => {
    if (m.type() === 'error' || m.type() === 'warning') result.console.push(m.text().slice(0, 300));
    if (CSP.test(m.text())) result.csp.push(m.text().slice(0, 300));
  });
  page.on('pageerror', e => {
    result.console.push('pageerror: ' + String(e).slice(0, 300));
    if (CSP.test(String(e))) result.csp.push(String(e).slice(0, 300));
  });
  page.on('response', r => {
    if (r.url().startsWith('http')) {
      result.responses.push({ path: new URL(r.url()).pathname, status: r.status(),
        encoding: r.headers()['content-encoding'] || null });
    }
  });
  page.on('requestfinished', async r => {
    if (r.method() === 'POST' && r.url().endsWith('/events')) {
      const answer = await r.response();
      result.beacons.push({ status: answer && answer.status(), bytes: Buffer.byteLength(r.postData() || '') });
    }
  });
  link = await throttledUrl(opts.url, opts.network, opts.hangVideoAfterBytes);
  const response = await page.goto(link.url, { waitUntil: 'load' });
  result.status = response.status();
  result.title = await page.title();
  result.text = (await page.locator('body').innerText()).slice(0, 500);
  if (opts.mode === 'camera-error') {
    await page.waitForFunction(() => window.arViewer && window.arViewer.phase === 'camera-error', null, { timeout: 20000 })
      .catch(() => {});
    result.viewer = await page.evaluate(() => ({
      phase: window.arViewer.phase, error: window.arViewer.error, lang: window.arViewer.lang,
      screenVisible: !document.getElementById('camera-error').classList.contains('hidden'),
      screenText: document.getElementById('camera-error').innerText
    }));
  } else if (opts.mode === 'track') {
    await track(page);
  } else if (opts.mode === 'status' && opts.signalFile) {
    result.live = await page.evaluate(() => !!document.getElementById('step'));
    writeFileSync(opts.signalFile, '');
    result.openedViewer = await page.waitForFunction(() => window.arViewer, null, { timeout: opts.awaitViewerMs })
      .then(() => true, () => false);
    result.titleAfter = await page.title();
  }
  if (opts.screenshot) {
    await page.screenshot({ path: opts.screenshot });
  }
  if (opts.leave) {
    await page.goto('about:blank');
    await page.waitForTimeout(1000);
  }
} catch (e) {
  result.failure = String(e && e.stack || e).slice(0, 1000);
} finally {
  await browser.close();
  if (link) await link.close();
}
console.log(JSON.stringify(result));

async function track(page) {
  const t0 = Date.now();
  await page.waitForFunction(() => window.arViewer && window.arViewer.phase === 'ready', null, { timeout: 60000 });
  result.readyMs = Date.now() - t0;
  const t1 = Date.now();
  const found = await page.waitForFunction(() => window.arViewer.foundEver.some(Boolean), null,
    { timeout: opts.foundTimeoutMs }).then(() => true, () => false);
  result.foundMs = found ? Date.now() - t1 : null;
  if (found) {
    // the video starts playing and the plane fades in; then watch tracking for a while
    await page.waitForFunction(() => window.arViewer.videos.some(v => v && !v.paused && v.getVideoPlaybackQuality().totalVideoFrames > 5), null,
      { timeout: 15000 }).catch(() => {});
    await page.waitForTimeout(600);
    result.samples = [];
    for (let waited = 0; waited < opts.observeMs; waited += 250) {
      result.samples.push(await page.evaluate(() => window.arViewer.found.map(Boolean)));
      await page.waitForTimeout(250);
    }
    if (opts.phone) {
      result.unmuteVisible = await page.isVisible('#unmute');
      if (result.unmuteVisible) {
        await page.tap('#unmute');
        await page.waitForTimeout(500);
      }
      result.afterTap = await page.evaluate(() => ({ unmuteVisible: !document.getElementById('unmute').classList.contains('hidden'),
        videos: window.arViewer.videos.map(v => v && { muted: v.muted, paused: v.paused }) }));
    }
  }
  result.viewer = await page.evaluate(async () => {
    const v = window.arViewer;
    const camera = v.camera;
    const tracked = document.querySelector('#ar video');
    return {
      // the camera size the runtime compiled MindAR's detector for before MindAR started
      compiledFor: (window.arRuntime && window.arRuntime.compiledFor) || null,
      compiledWhileAsking: window.arCompiledWhileAsking,
      // whether MindAR tracks on the stream the page's head opened (the camera opened once)
      cameraShared: window.arCamera && tracked ? (await window.arCamera) === tracked.srcObject : null,
      lang: v.lang,
      phase: v.phase,
      foundEver: v.foundEver.map(Boolean),
      found: v.found.map(Boolean),
      shownAtFound: v.shownAtFound,
      renditions: v.renditions,
      kbps: v.kbps,
      restarts: v.restarts,
      scanningVisible: !document.getElementById('scanning').classList.contains('hidden'),
      counter: document.getElementById('found-counter').classList.contains('hidden') ? null
        : document.getElementById('found-counter').textContent,
      videos: v.videos.map(video => video && { paused: video.paused, time: video.currentTime, muted: video.muted,
        frames: video.getVideoPlaybackQuality().totalVideoFrames }),
      planes: v.planes.map(mesh => {
        if (!mesh) { return null; }
        let visible = true;
        for (let o = mesh; o; o = o.parent) { visible = visible && o.visible; }
        const centre = mesh.position.clone();
        mesh.getWorldPosition(centre);
        centre.project(camera);
        const mask = mesh.material.alphaMap && mesh.material.alphaMap.image;
        return { visible, opacity: mesh.material.opacity, ndc: [centre.x, centre.y, centre.z],
          showing: mesh.material.map && mesh.material.map.isVideoTexture ? 'video' : 'poster',
          alphaMap: mask ? mask.complete && mask.naturalWidth > 0 : false };
      })
    };
  });
  if (found && opts.revisit) {
    const t2 = Date.now();
    await page.reload({ waitUntil: 'load' });
    const again = await page.waitForFunction(() => window.arViewer && window.arViewer.foundEver.some(Boolean), null,
      { timeout: opts.foundTimeoutMs }).then(() => true, () => false);
    result.warmFoundMs = again ? Date.now() - t2 : null;
    // the rendition the second visit chose, with the speed it went by (little downloaded this time)
    if (again) result.warm = await page.evaluate(() => ({ renditions: window.arViewer.renditions, kbps: window.arViewer.kbps }));
  }
}
