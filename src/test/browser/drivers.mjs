// How the scripts here start Firefox ESR and WebKitGTK with the canvas camera of camera-shim.mjs:
// Firefox over WebDriver BiDi (puppeteer-core), WebKitGTK's MiniBrowser over W3C WebDriver
// (WebKitWebDriver), the latter behind a proxy that puts the camera into each HTML page.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import puppeteer from 'puppeteer-core';
import { cameraShim } from './camera-shim.mjs';

export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Firefox ESR with a fresh profile (empty cache), autoplay and the camera allowed, under xvfb. */
export function launchFirefox(executable) {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: executable || '/usr/bin/firefox-esr',
    headless: false,
    protocol: 'webDriverBiDi',
    extraPrefsFirefox: {
      'media.autoplay.default': 0,
      'media.autoplay.blocking_policy': 0,
      'webgl.force-enabled': true,
      'media.navigator.permission.disabled': true
    }
  });
}

/**
 * A proxy to target (a URL's origin) that puts the canvas camera showing photo at the top of every
 * HTML page (WebDriver has no init script; localhost stays a secure context) and admits it in the
 * page's Content-Security-Policy by its hash, and nothing else more. Everything else passes as the
 * service sent it; onResponse({path, status, encoding}) hears of each response, onRequest({method,
 * path, body}) of each request once its body has passed. Returns {port, close}.
 */
export async function shimProxy(target, photo, onResponse = () => {}, onRequest = () => {}) {
  const source = cameraShim(photo);
  const shim = '<script>' + source + '</script>';
  const shimHash = "'sha256-" + createHash('sha256').update(source).digest('base64') + "'";
  const proxy = http.createServer((req, res) => {
    let response = null;
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method,
      headers: { ...req.headers, host: target.host } }, up => {
      response = up;
      const type = up.headers['content-type'] || '';
      onResponse({ path: req.url.replace(/\?.*/, ''), status: up.statusCode,
        encoding: up.headers['content-encoding'] || null });
      // a response cut upstream is cut for the browser too, which would otherwise wait for its end
      up.on('close', () => { if (!up.complete) res.destroy(); });
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
          headers['content-security-policy'] = headers['content-security-policy'].replace('script-src', 'script-src ' + shimHash);
        }
        res.writeHead(up.statusCode, headers);
        res.end(html);
      });
    });
    upstream.on('error', () => res.destroy());
    // a request the browser gives up (a video it seeks in) stops upstream too, as it would at the
    // service; not once its response is complete: its connection may already serve another request
    res.on('close', () => {
      if (!res.writableFinished && !(response && response.complete)) upstream.destroy();
    });
    const body = [];
    req.on('data', c => body.push(c));
    req.on('end', () => onRequest({ method: req.method, path: req.url.replace(/\?.*/, ''),
      body: Buffer.concat(body).toString('utf8') }));
    req.pipe(upstream);
  });
  await new Promise(r => proxy.listen(0, '127.0.0.1', r));
  return { port: proxy.address().port, close: () => proxy.close() };
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

/**
 * A MiniBrowser session (a fresh, ephemeral profile: an empty cache) driven by WebKitWebDriver.
 * Returns {call(method, path, body), path (the session's prefix), close()}; call throws WebDriver's
 * errors. Scripts may run for scriptTimeoutMs.
 */
export async function webKitSession(minibrowser, scriptTimeoutMs = 30000) {
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
  let session = null;
  try {
    for (let i = 0; i < 50; i++) {
      try { await call('GET', '/status'); break; } catch { await sleep(200); }
    }
    session = (await call('POST', '/session', { capabilities: { alwaysMatch: {
      'webkitgtk:browserOptions': { binary: minibrowser || MINIBROWSER, args: ['--automation',
        '--enable-media-stream=true', '--enable-webgl=true', '--enable-mediasource=true', '--enable-webaudio=true'] } } } })).sessionId;
    await call('POST', `/session/${session}/timeouts`, { script: scriptTimeoutMs });
  } catch (e) {
    driver.kill();
    throw e;
  }
  return {
    call,
    path: `/session/${session}`,
    close: async () => {
      await call('DELETE', `/session/${session}`).catch(() => {});
      driver.kill();
    }
  };
}
