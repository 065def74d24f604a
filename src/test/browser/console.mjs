// Drives the operator's console (/admin/) in Debian's chromium and prints what it saw as one JSON
// line; ConsoleBrowserTest asserts on it. Usage: node console.mjs '<options JSON>' with
//   base        the service, e.g. http://localhost:5000
//   token       AR_API_TOKEN;  userId  whose project to look for
//   releaseFile created once the project's log shows its held video step (the test's ffmpeg waits)
//   acceptFile  created before the redelivery (the stand-in backend accepts from then on)
//   shots       folder for a screenshot of each page (kept by the test on failure)
import { chromium, request } from 'playwright-core';
import { writeFileSync, mkdirSync } from 'node:fs';

const opts = JSON.parse(process.argv[2]);
mkdirSync(opts.shots, { recursive: true });
const browser = await chromium.launch({ executablePath: opts.executable || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const result = { console: [] };
let page;
const shot = async (name) => page.screenshot({ path: `${opts.shots}/${name}.png`, fullPage: true });
const logRows = () => page.$$eval('#log tbody tr', rows => rows.map(r => [...r.cells].map(c => c.textContent)));
try {
  // phone-sized, as operators use it on the go
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });
  page = await context.newPage();
  page.on('console', m => { if (m.type() === 'error') { result.console.push(m.text().slice(0, 300)); } });
  page.on('pageerror', e => result.console.push('pageerror: ' + String(e).slice(0, 300)));
  page.on('dialog', d => d.accept());
  page.on('response', r => { if (r.status() >= 400) { result.console.push(r.status() + ' ' + r.url()); } });

  await page.goto(opts.base + '/admin/');
  await page.waitForSelector('#sign-in input[name=token]');
  await shot('1-sign-in');
  await page.fill('#sign-in input[name=token]', opts.token);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#stats');
  await page.waitForSelector('#viewers');
  result.overview = { cards: await page.$$eval('#stats .card', c => c.length), chart: await page.$$eval('svg.chart rect', r => r.length),
    viewerCards: await page.$$eval('#viewers .card', c => c.length) };
  result.cookieVisibleToScripts = await page.evaluate(() => document.cookie.includes('ar_console'));
  await shot('2-overview');

  await page.click('#nav a[href="#/projects"]');
  await page.fill('form.filters input[name=q]', opts.userId);
  await page.click('form.filters button[type=submit]');
  const link = await page.waitForSelector('#projects tbody a[href^="#/project/"]');
  result.projectId = (await link.getAttribute('href')).replace('#/project/', '');
  await shot('3-projects');
  await link.click();

  await page.waitForFunction(() => [...document.querySelectorAll('#log tbody tr')]
    .some(r => r.cells[0].textContent === 'video' && r.cells[1].textContent === 'started'), null, { timeout: 60000 });
  result.logWhileHeld = await logRows();
  result.statusWhileHeld = await page.textContent('#project-status');
  writeFileSync(opts.releaseFile, '');
  await page.waitForFunction(() => document.getElementById('project-status').dataset.final === 'ready', null, { timeout: 90000 });
  result.logWhenReady = await logRows();
  result.statusWhenReady = await page.textContent('#project-status');
  await shot('4-project-live');
  // The page as opened again: a ready project's photos, viewer link, video and QR code.
  await page.reload();
  await page.waitForSelector('#viewer-link');
  result.viewUrl = await page.getAttribute('#viewer-link', 'href');
  result.photos = await page.$$eval('#photos figure', f => f.length);
  result.projectViewerCards = await page.$$eval('#viewers .card', c => c.length);
  result.heatmaps = await page.$$eval('#photos a.heatmap', a => a.map(x => x.href));
  if (result.heatmaps.length) {
    const map = await page.request.get(result.heatmaps[0]);
    result.heatmapStatus = map.status();
  }
  await shot('5-project');

  await page.click('#delete');
  await page.waitForFunction(() => document.getElementById('project-status').textContent.startsWith('deleted'), null, { timeout: 30000 });
  result.statusAfterDelete = await page.textContent('#project-status');
  // the view URL names the public site (FRONTEND_URL); the same path on the service
  result.viewerAfterDelete = (await page.request.get(opts.base + new URL(result.viewUrl).pathname)).status();
  await shot('6-deleted');

  writeFileSync(opts.acceptFile, '');
  await page.click('#nav a[href="#/webhooks"]');
  let redeliver = null;
  for (let i = 0; i < 60 && !redeliver; i++) {
    await page.waitForSelector('#webhooks-page');
    redeliver = await page.$('#webhooks-page table.webhooks tr[data-id] button.redeliver');
    if (!redeliver) { await page.waitForTimeout(500); await page.reload(); }
  }
  await shot('7-webhooks');
  const row = await redeliver.evaluateHandle(b => b.closest('tr'));
  result.redelivered = await row.evaluate(r => r.dataset.id);
  await redeliver.click();
  await page.waitForFunction(id => !document.querySelector(`tr[data-id="${id}"] button.redeliver`) ||
    document.querySelector(`tr[data-id="${id}"]`).cells[1].textContent.startsWith('pending'), result.redelivered, { timeout: 20000 });

  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#nav a[href="#/overview"]').textContent === 'Обзор');
  result.russian = await page.textContent('#nav a[href="#/projects"]');
  await shot('8-russian');

  // Signing out ends the session itself: a copy of the cookie taken before opens nothing after.
  const [session] = (await context.cookies()).filter(c => c.name === 'ar_console');
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in input[name=token]');
  const elsewhere = await request.newContext();
  result.copiedCookieAfterSignOut = (await elsewhere.get(opts.base + '/admin/stats',
    { headers: { Cookie: 'ar_console=' + session.value } })).status();
  await elsewhere.dispose();
} catch (e) {
  result.failure = String(e && e.stack || e).slice(0, 1500);
  if (page) { await shot('failure').catch(() => {}); }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
