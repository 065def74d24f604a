// Anonymous viewer analytics: a few counts of what happened on the page (opened, camera allowed or
// refused, AR ready, print found, video started, seconds watched, a stuck video loaded anew,
// target lost, page hidden), sent in small batches with navigator.sendBeacon to the address in
// <meta name="ar-events">. No cookie, no identifier: a report is a list of events and nothing else.
// Nothing is sent when that address is empty (AR_VIEWER_ANALYTICS=false) or the reader asks not to
// be tracked (Do Not Track, Global Privacy Control). The viewer calls
// window.arAnalytics.record(name, fields[, video]).
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="ar-events"]');
  var url = meta && meta.content;
  var dnt = navigator.doNotTrack === '1' || window.doNotTrack === '1' || navigator.msDoNotTrack === '1';
  var enabled = !!url && !dnt && navigator.globalPrivacyControl !== true;
  var MAX_PER_NAME = 20;  // the server takes 32 events per report; a page never needs more
  var MAX_MS = 3600000;   // the longest time and (in s) watch a report may carry
  var queue = [];
  var sent = {};          // events of each name queued so far (found/video: per target)
  var readyAt = null;
  var watched = 0;        // seconds of video not yet reported
  var timer = null;

  function now() { return Math.round(window.performance && performance.now ? performance.now() : 0); }

  function flush() {
    clearTimeout(timer);
    timer = null;
    if (watched >= 1) {
      var seconds = Math.min(MAX_MS / 1000, Math.round(watched));
      queue.push({ name: 'watch', seconds: seconds });
      watched -= seconds;
    }
    if (!queue.length) { return; }
    var body = JSON.stringify({ events: queue.splice(0, 32) });
    try {
      if (!(navigator.sendBeacon && navigator.sendBeacon(url, body))) {
        fetch(url, { method: 'POST', body: body, keepalive: true, credentials: 'omit' }).catch(function () {});
      }
    } catch (e) { /* analytics never break the page */ }
    if (queue.length) { flush(); }
  }

  /** Times how long a video plays: the sum of its currentTime steps while playing. */
  function watch(video) {
    if (!video || video.arWatched) { return; }
    video.arWatched = true;
    var last = null;
    video.addEventListener('timeupdate', function () {
      var step = last === null ? 0 : video.currentTime - last;
      last = video.currentTime;
      if (!video.paused && step > 0 && step < 2) { watched += step; }
    });
    video.addEventListener('pause', function () { last = null; });
  }

  function record(name, fields, video) {
    if (!enabled) { return; }
    fields = fields || {};
    var key = name === 'found' || name === 'video' ? name + (fields.target || 0) : name;
    var limit = name === 'found' || name === 'video' || name === 'open' ? 1 : MAX_PER_NAME;
    if ((sent[key] || 0) >= limit) { return; }
    sent[key] = (sent[key] || 0) + 1;
    var event = { name: name };
    for (var k in fields) { if (Object.prototype.hasOwnProperty.call(fields, k)) { event[k] = fields[k]; } }
    if (name === 'ready') {
      readyAt = now();
      event.ms = Math.min(MAX_MS, readyAt);
    } else if (name === 'found') {
      event.first = !sent.anyFound;
      sent.anyFound = true;
      event.ms = Math.min(MAX_MS, Math.max(0, now() - (readyAt === null ? 0 : readyAt)));
    }
    queue.push(event);
    if (video) { watch(video); }
    // a short wait gathers what happens together (camera, ready) into one report
    if (!timer) { timer = setTimeout(flush, 3000); }
  }

  window.arAnalytics = { record: record, enabled: enabled };
  if (!enabled) { return; }
  record('open');
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') {
      record('hidden');
      flush();
    }
  });
  window.addEventListener('pagehide', flush);
})();
