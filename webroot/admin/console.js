// The operator's console: plain DOM, no build step. Every call goes to the service's own API with
// the session cookie (SameSite=Strict) and the X-AR-Console header that marks the console's writes.
const TEXT = {
  en: {
    title: 'AR Service', overview: 'Overview', projects: 'Projects', webhooks: 'Webhooks', signOut: 'Sign out',
    disabled: 'The console is disabled: AR_API_TOKEN is not set on the server.', token: 'API token',
    signIn: 'Sign in', jobs: 'Jobs', ready24: 'Ready (24 h)', failed24: 'Failed (24 h)', median: 'Median compile',
    backlog: 'Webhook backlog', hookFailed: 'Webhooks failed', disk: 'Disk free', instances: 'Instances',
    lastSeen: 'last heartbeat', search: 'id, user or order', any: 'any status', demo: 'demo', all: 'all',
    yes: 'yes', no: 'no', more: 'More', status: 'Status', user: 'User', order: 'Order', created: 'Created',
    step: 'Step', duration: 'Duration', retry: 'Retry', delete: 'Delete', confirmDelete: 'Delete this project and its files?',
    viewer: 'Viewer', qr: 'QR code', video: 'Video', log: 'Step log', events: 'Webhook events', attempts: 'attempts',
    redeliver: 'Redeliver', score: 'score', heatmap: 'heat-map', pending: 'pending', failed: 'failed', none: 'Nothing here.',
    event: 'Event', state: 'State', viewers: 'Viewers (30 days)', scans: 'Scans', foundRate: 'Found',
    toFound: 'Time to found (median / p90)', refused: 'Camera refused', cameraFailed: 'Camera failed',
    videoStarts: 'Video starts', watch: 'Watched', device: 'Device', poor: 'Poor detection',
    poorText: 'Scanned often, rarely found: contact the customer or reprint.', byDay: 'Found / not found per day',
    event: 'Event', state: 'State', backup: 'Backup', lastBase: 'Last base backup', lastWal: 'Last archived WAL',
    backupSize: 'Backup size', nextRun: 'Next base backup', lastVerify: 'Last verify', shipped: 'Shipped to the bucket', ok: 'OK', noBackup: 'No backup is configured (AR_BACKUP_DIR).'
  },
  ru: {
    title: 'AR Service', overview: 'Обзор', projects: 'Проекты', webhooks: 'Вебхуки', signOut: 'Выйти',
    disabled: 'Консоль выключена: на сервере не задан AR_API_TOKEN.', token: 'API-токен',
    signIn: 'Войти', jobs: 'Задачи', ready24: 'Готово (24 ч)', failed24: 'Ошибок (24 ч)', median: 'Медиана сборки',
    backlog: 'Вебхуки в очереди', hookFailed: 'Вебхуки с ошибкой', disk: 'Свободно на диске', instances: 'Экземпляры',
    lastSeen: 'последний сигнал', search: 'id, клиент или заказ', any: 'любой статус', demo: 'демо', all: 'все',
    yes: 'да', no: 'нет', more: 'Ещё', status: 'Статус', user: 'Клиент', order: 'Заказ', created: 'Создан',
    step: 'Шаг', duration: 'Длительность', retry: 'Повторить', delete: 'Удалить', confirmDelete: 'Удалить проект и его файлы?',
    viewer: 'Просмотр', qr: 'QR-код', video: 'Видео', log: 'Журнал шагов', events: 'События вебхуков', attempts: 'попыток',
    redeliver: 'Отправить снова', score: 'оценка', heatmap: 'тепловая карта', pending: 'в очереди', failed: 'с ошибкой',
    none: 'Пусто.', event: 'Событие', state: 'Состояние', viewers: 'Просмотры (30 дней)', scans: 'Сканирований',
    foundRate: 'Найдено', toFound: 'Время до распознавания (медиана / p90)', refused: 'Камера запрещена',
    cameraFailed: 'Ошибка камеры', videoStarts: 'Запусков видео', watch: 'Просмотрено', device: 'Устройство',
    poor: 'Плохое распознавание', poorText: 'Сканируют часто, находят редко: свяжитесь с клиентом или перепечатайте.',
    byDay: 'Найдено / не найдено по дням',
    none: 'Пусто.', event: 'Событие', state: 'Состояние', backup: 'Резервная копия', lastBase: 'Последняя базовая копия',
    lastWal: 'Последний архивный WAL', backupSize: 'Размер копии', nextRun: 'Следующая базовая копия', lastVerify: 'Последняя проверка',
    shipped: 'Отправлено в бакет', ok: 'OK', noBackup: 'Резервное копирование не настроено (AR_BACKUP_DIR).'
  }
};
let lang = localStorage.getItem('ar-console-lang') || (navigator.language || 'en').slice(0, 2);
if (!TEXT[lang]) { lang = 'en'; }
const t = (key) => TEXT[lang][key] || key;
const main = document.getElementById('main');
let stream = null;

/** An element with attributes (on* are listeners) and children (strings become text). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElementNS(tag === 'svg' || tag === 'rect' ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) { el.addEventListener(k.slice(2), v); } else if (v !== null && v !== undefined) { el.setAttribute(k, v); }
  }
  for (const c of children.flat()) { if (c !== null && c !== undefined) { el.append(c.nodeType ? c : String(c)); } }
  return el;
}

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: 'same-origin', ...options,
    headers: { 'X-AR-Console': '1', ...(options.body ? { 'Content-Type': 'application/json' } : {}) } });
  const body = response.headers.get('Content-Type')?.includes('json') ? await response.json() : null;
  if (response.status === 401 && path !== '/admin/session') { signInPage(); throw new Error('signed out'); }
  if (!response.ok) { throw new Error(body && body.error || response.statusText); }
  return body;
}

function show(...children) {
  if (stream) { stream.close(); stream = null; }
  main.replaceChildren(...children);
}

function translate() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach(el => { el.textContent = t(el.dataset.t); });
  document.getElementById('lang').textContent = lang === 'en' ? 'RU' : 'EN';
}

function signInPage(error) {
  document.getElementById('nav').hidden = true;
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'current-password', placeholder: t('token') });
  show(h('form', { id: 'sign-in', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api('/admin/session', { method: 'POST', body: JSON.stringify({ token: input.value }) });
      start();
    } catch (err) { signInPage(err.message); }
  } }, h('p', {}, input), h('button', { class: 'action', type: 'submit' }, t('signIn')),
  error ? h('p', { class: 'error' }, error) : null));
}

const ms = (n) => n === null || n === undefined ? '–' : n < 1000 ? n + ' ms' : (n / 1000).toFixed(1) + ' s';
const when = (iso) => iso ? new Date(iso).toLocaleString(lang) : '–';
const card = (label, value) => h('div', { class: 'card' }, h('b', {}, value), label);

/** Stacked bars, good (green) under bad (red), e.g. ready and failed compilations per hour. */
function chart(bars, label) {
  const top = Math.max(1, ...bars.map(b => b.good + b.bad));
  const w = 100 / Math.max(1, bars.length);
  return h('svg', { class: 'chart', viewBox: '0 0 100 40', preserveAspectRatio: 'none', role: 'img', 'aria-label': label },
    bars.flatMap((b, i) => {
      const ready = 38 * b.good / top;
      const failed = 38 * b.bad / top;
      return [h('rect', { x: i * w + w * 0.1, width: w * 0.8, y: 40 - ready, height: ready, fill: '#1b7f3b' }),
        h('rect', { x: i * w + w * 0.1, width: w * 0.8, y: 40 - ready - failed, height: failed, fill: '#b00020' })];
    }));
}

function backupPanel(b) {
  if (!b.configured) { return h('p', { class: 'muted' }, t('noBackup')); }
  const mb = (n) => (n / 1024 ** 2).toFixed(1) + ' MB';
  const verify = b.lastVerify ? (b.lastVerify.ok ? t('ok') : t('failed')) + ', ' + when(b.lastVerify.at) : t('none');
  return h('div', { class: 'cards', id: 'backup' },
    card(t('lastBase'), b.lastBaseBackup ? when(b.lastBaseBackup.finished) : t('none')),
    card(t('lastWal'), b.lastArchivedWal ? when(b.lastArchivedWal.at) : t('none')),
    card(t('backupSize'), mb(b.bytes)), card(t('nextRun'), when(b.nextRun)), card(t('lastVerify'), verify),
    b.bucket ? card(t('shipped'), b.bucket.error ? t('failed') : when(b.bucket.lastShipped)) : null,
    b.error ? card(t('status'), b.error) : card(t('status'), t('ok')));
}

async function overview() {
  const [s, b] = await Promise.all([api('/admin/stats'), api('/admin/backup')]);
  const gb = (b) => (b / 1024 ** 3).toFixed(1) + ' GB';
  show(h('h1', {}, t('overview')),
    h('div', { class: 'cards', id: 'stats' },
      Object.entries(s.jobs).map(([state, n]) => card(t('jobs') + ': ' + state, n)),
      card(t('ready24'), s.projects.ready), card(t('failed24'), s.projects.failed),
      card(t('median'), ms(s.projects.medianCompileMs)), card(t('backlog'), s.webhooks.backlog),
      card(t('hookFailed'), s.webhooks.failed), card(t('disk'), gb(s.disk.freeBytes))),
    h('h2', {}, t('ready24') + ' / ' + t('failed24')),
    chart(s.projects.hourly.map(b => ({ good: b.ready, bad: b.failed })), t('ready24')),
    h('h2', {}, t('instances')),
    s.instances.length ? h('ul', {}, s.instances.map(i => h('li', {}, i.workerId + ' (' + i.role + '), ' + t('lastSeen') + ' ' + when(i.lastSeenAt))))
      : h('p', { class: 'muted' }, t('none')),
    viewerSection(await api('/admin/analytics')),
    h('h2', {}, t('backup')), backupPanel(b));
}

const percent = (rate) => rate === null || rate === undefined ? '–' : Math.round(rate * 100) + ' %';
const seconds = (n) => n < 120 ? n + ' s' : n < 7200 ? Math.round(n / 60) + ' min' : (n / 3600).toFixed(1) + ' h';

/** What viewer pages reported: figures, finds per day, device families, flagged projects. */
function viewerSection(v) {
  const figures = (f) => [f.scans, percent(f.foundRate), ms(f.timeToFoundMs.median) + ' / ' + ms(f.timeToFoundMs.p90),
    f.cameraDenied, f.cameraFailed, f.videoStarts, seconds(f.watchSeconds)];
  const heads = [t('scans'), t('foundRate'), t('toFound'), t('refused'), t('cameraFailed'), t('videoStarts'), t('watch')];
  const flagged = Array.isArray(v.poorDetection) ? v.poorDetection : v.poorDetection ? [v.poorDetection] : [];
  return h('section', { id: 'viewers' }, h('h2', {}, t('viewers')),
    flagged.length ? h('div', { class: 'warning', id: 'poor-detection' }, h('b', {}, t('poor')), ' ', t('poorText'),
      flagged.some(f => f.projectId) ? h('ul', {}, flagged.map(f => h('li', {}, h('a', { href: '#/project/' + f.projectId }, f.projectId.slice(0, 8)),
        ' ' + f.userId + (f.orderId ? ' · ' + f.orderId : '') + ': ' + f.found + ' / ' + f.scans))) : null) : null,
    h('div', { class: 'cards' }, figures(v.totals).map((value, i) => card(heads[i], value))),
    h('h3', {}, t('byDay')),
    chart(v.days.map(d => ({ good: d.viewsFound, bad: Math.max(0, d.arReady - d.viewsFound) })), t('byDay')),
    v.devices.length ? h('table', { id: 'devices' }, h('thead', {}, h('tr', {}, h('th', {}, t('device')), heads.map(c => h('th', {}, c)))),
      h('tbody', {}, v.devices.map(d => h('tr', {}, h('td', {}, d.device), figures(d).map(value => h('td', {}, value))))))
      : h('p', { class: 'muted' }, t('none')));
}

async function projects(query = new URLSearchParams(location.hash.split('?')[1] || '')) {
  const q = h('input', { name: 'q', type: 'search', placeholder: t('search'), value: query.get('q') || '' });
  const status = h('select', { name: 'status' }, h('option', { value: '' }, t('any')),
    ['pending', 'processing', 'ready', 'error', 'deleted'].map(s => h('option', s === query.get('status') ? { value: s, selected: '' } : { value: s }, s)));
  const demo = h('select', { name: 'demo' }, ['', 'true', 'false'].map(v =>
    h('option', v === (query.get('demo') || '') ? { value: v, selected: '' } : { value: v }, v ? t('demo') + ': ' + t(v === 'true' ? 'yes' : 'no') : t('demo') + ': ' + t('all'))));
  const body = h('tbody');
  const more = h('button', { class: 'action', type: 'button', hidden: '' }, t('more'));
  let next = null;
  const load = async () => {
    const params = new URLSearchParams({ limit: '25' });
    for (const [k, el] of [['q', q], ['status', status], ['demo', demo]]) { if (el.value) { params.set(k, el.value); } }
    if (next) { params.set('after', next); }
    const page = await api('/admin/projects?' + params);
    for (const p of page.projects) {
      body.append(h('tr', {}, h('td', {}, h('a', { href: '#/project/' + p.projectId }, p.projectId.slice(0, 8))),
        h('td', { class: 'status-' + p.status }, p.status + (p.status === 'processing' ? ' ' + p.progress + '%' : '')),
        h('td', {}, p.userId), h('td', { class: 'wide' }, p.orderId || ''), h('td', { class: 'wide' }, when(p.createdAt))));
    }
    next = page.next;
    more.hidden = !next;
  };
  more.addEventListener('click', load);
  show(h('h1', {}, t('projects')),
    h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); next = null; body.replaceChildren(); load(); } },
      q, status, demo, h('button', { class: 'action', type: 'submit' }, '🔍')),
    h('table', { id: 'projects' }, h('thead', {}, h('tr', {}, [t('projects'), t('status'), t('user')].map(c => h('th', {}, c)),
      h('th', { class: 'wide' }, t('order')), h('th', { class: 'wide' }, t('created')))), body), more);
  await load();
}

async function project(id) {
  const s = await api('/status/' + id);
  const hooks = await api('/admin/webhooks?projectId=' + id);
  const viewers = await api('/projects/' + id + '/stats');
  const log = h('tbody');
  const state = h('p', { id: 'project-status', class: 'status-' + s.status }, s.status + ' ' + (s.progress ?? 0) + '%');
  const actions = h('p', {},
    s.status === 'error' ? h('button', { class: 'action', id: 'retry', onclick: async () => { await api('/projects/' + id + '/retry', { method: 'POST' }); project(id); } }, t('retry')) : null,
    s.status === 'ready' || s.status === 'error' || s.status === 'deleted' ? h('button', { class: 'action danger', id: 'delete', onclick: async () => {
      if (confirm(t('confirmDelete'))) { await api('/projects/' + id, { method: 'DELETE' }); project(id); }
    } }, t('delete')) : null);
  // A deleted project's files are gone; only its record and history remain.
  const photos = h('div', { class: 'photos', id: 'photos' }, (s.status === 'deleted' ? [] : s.targets || []).map((target, i) => {
    const quality = target.quality;
    // the published copies (the upload URLs name the shop's folder, which the service does not serve)
    const files = target.artifacts || {};
    const photo = files.photo;
    return h('figure', {}, photo ? h('img', { src: photo, alt: 'photo ' + i }) : null,
      quality && quality.heatmapUrl ? h('a', { href: quality.heatmapUrl, class: 'heatmap', target: '_blank' }, h('img', { src: quality.heatmapUrl, alt: t('heatmap') })) : null,
      files.video ? h('video', { src: files.video, controls: '', muted: '', playsinline: '', preload: 'metadata' }) : null,
      h('figcaption', {}, '#' + (i + 1) + (quality && typeof quality.score === 'number' ? ' · ' + t('score') + ' ' + quality.score : '')));
  }));
  show(h('h1', {}, id), state, h('p', {}, s.userId || '', s.orderId ? ' · ' + s.orderId : '', s.errorMessage ? h('span', { class: 'error' }, ' ' + s.errorMessage) : null),
    actions, photos,
    s.status === 'ready' ? h('p', {}, h('a', { href: s.viewUrl, id: 'viewer-link', target: '_blank' }, t('viewer')),
      s.qrCodeUrl ? h('img', { src: s.qrCodeUrl, alt: t('qr'), width: 160 }) : null) : null,
    viewerSection(viewers),
    h('h2', {}, t('log')), h('table', { id: 'log' }, h('thead', {}, h('tr', {}, [t('step'), t('status'), t('duration')].map(c => h('th', {}, c)))), log),
    h('h2', {}, t('events')), webhookTable(hooks.webhooks, () => project(id)));
  // The step log arrives live; a stream of a finished project replays it and ends.
  stream = new EventSource('/status/' + id + '/events');
  stream.addEventListener('step', (e) => {
    const line = JSON.parse(e.data);
    log.append(h('tr', { class: 'status-' + line.status }, h('td', {}, line.step), h('td', {}, line.status + (line.error ? ': ' + line.error : '')), h('td', {}, ms(line.durationMs))));
  });
  stream.addEventListener('status', (e) => {
    const d = JSON.parse(e.data);
    state.textContent = d.status + ' ' + (d.progress ?? 0) + '%' + (d.currentStep ? ' · ' + d.currentStep : '');
    state.className = 'status-' + d.status;
  });
  for (const end of ['ready', 'error', 'deleted']) {
    stream.addEventListener(end, (e) => { if (e.data) { stream.close(); state.dataset.final = end; } });
  }
}

function webhookTable(events, reload) {
  if (!events.length) { return h('p', { class: 'muted' }, t('none')); }
  return h('table', { class: 'webhooks' }, h('thead', {}, h('tr', {}, [t('event'), t('state'), t('attempts'), ''].map(c => h('th', {}, c)))),
    h('tbody', {}, events.map(ev => h('tr', { 'data-id': ev.id }, h('td', {}, ev.event || ev.eventType, h('br'), h('a', { href: '#/project/' + ev.projectId, class: 'muted' }, (ev.projectId || '').slice(0, 8))),
      h('td', {}, ev.state, ev.lastError ? h('div', { class: 'error' }, ev.lastError) : null), h('td', {}, ev.attempts),
      h('td', {}, ev.state === 'failed' || ev.state === 'pending' ? h('button', { class: 'action redeliver', onclick: async () => {
        await api('/admin/webhooks/' + ev.id + '/redeliver', { method: 'POST' }); reload();
      } }, t('redeliver')) : null)))));
}

async function webhooks() {
  const [failed, pending] = await Promise.all([api('/admin/webhooks?state=failed'), api('/admin/webhooks?state=pending')]);
  show(h('section', { id: 'webhooks-page' }, h('h1', {}, t('webhooks')), h('h2', {}, t('failed')),
    webhookTable(failed.webhooks, webhooks), h('h2', {}, t('pending')), webhookTable(pending.webhooks, webhooks)));
}

async function route() {
  const [path, id] = location.hash.replace(/^#\//, '').split('?')[0].split('/');
  try {
    if (path === 'projects') { await projects(); } else if (path === 'project' && id) { await project(id); } else if (path === 'webhooks') { await webhooks(); } else { await overview(); }
  } catch (err) {
    if (err.message !== 'signed out') { show(h('p', { class: 'error' }, err.message)); }
  }
}

async function start() {
  translate();
  const session = await api('/admin/session');
  if (!session.enabled) { show(h('p', { id: 'disabled' }, t('disabled'))); return; }
  if (!session.signedIn) { signInPage(); return; }
  document.getElementById('nav').hidden = false;
  route();
}

window.addEventListener('hashchange', route);
document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'en' ? 'ru' : 'en';
  localStorage.setItem('ar-console-lang', lang);
  start();
});
document.getElementById('sign-out').addEventListener('click', async () => { await api('/admin/session', { method: 'DELETE' }); start(); });
start();
