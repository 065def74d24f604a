// Builds the MindAR scene of one project from the JSON the page carries (see ViewerPage): one
// image target per photo, each with a plane the size of the photo playing its video. The build
// bundles it with three.js and MindAR's three.js build into the scene script, which the runtime
// script (runtime.js) loads and lends MindAR's controller to (src/build/vendor-assets.mjs);
// unbundled, the page's import map resolves the imports.
import { Clock, DoubleSide, MathUtils, Mesh, MeshBasicMaterial, PlaneGeometry, SRGBColorSpace, TextureLoader, VideoTexture } from 'three';
import { MindARThree } from 'mind-ar/dist/mindar-image-three.prod.js';

var data = JSON.parse(document.getElementById('ar-data').textContent);
var texts = JSON.parse(document.getElementById('ar-texts').textContent);
// The service picks the language from Accept-Language and sends only that one; the static copy of
// the page (index.html) carries both and asks the browser.
var lang = texts[document.documentElement.lang] ? document.documentElement.lang
  : ((navigator.languages && navigator.languages[0]) || navigator.language || 'en').toLowerCase().indexOf('ru') === 0 ? 'ru' : 'en';
var t = texts[lang];
document.documentElement.lang = lang;
Array.prototype.forEach.call(document.querySelectorAll('[data-text]'), function (el) {
  el.textContent = t[el.getAttribute('data-text')];
});

var config = data.config || {};
var targets = data.targets || [];
var loop = config.loop !== false;
var autoPlay = config.autoPlay !== false;
// What the page is doing, for people debugging on a phone and for the browser test.
// shownAtFound: what each plane showed the moment its print was found (poster, video or nothing);
// renditions: the video file each target plays; kbps: the network speed that chose it; restarts:
// how often each stuck video was loaded anew (VideoPlane.watch).
var state = window.arViewer = { lang: lang, phase: 'loading', error: null, found: [], foundEver: [], videos: [], planes: [],
  shownAtFound: [], renditions: [], kbps: null, restarts: [] };

// anonymous counts (analytics.js); without it, or switched off, nothing happens
function report(name, fields, video) { if (window.arAnalytics) { window.arAnalytics.record(name, fields, video); } }
function show(id, visible) { document.getElementById(id).classList.toggle('hidden', !visible); }
function cameraError(kind) {
  state.phase = 'camera-error';
  state.error = kind;
  show('loading', false);
  show('scanning', false);
  document.getElementById('camera-error-text').textContent = t[kind];
  show('camera-error', true);
}
document.getElementById('retry').addEventListener('click', function () { location.reload(); });

document.getElementById('share').addEventListener('click', function () {
  var url = data.viewUrl || location.href;
  if (navigator.share) {
    navigator.share({ title: t.title, url: url }).catch(function () {});
  } else if (navigator.clipboard) {
    navigator.clipboard.writeText(url).then(function () { alert(t.copied); }, function () { prompt('', url); });
  } else {
    prompt('', url);
  }
});

/**
 * The texture transform of a video on its plane: fitMode against the plane's aspect, then zoom
 * about the centre, then offsetX/offsetY as fractions of the plane (x right, y up).
 */
function textureTransform(planeAspect, videoAspect) {
  var rx = 1, ry = 1;
  var fit = config.fitMode || 'cover';
  if (videoAspect && (fit === 'cover' || fit === 'contain')) {
    var wider = videoAspect > planeAspect;
    if ((fit === 'cover') === wider) { rx = planeAspect / videoAspect; } else { ry = videoAspect / planeAspect; }
  }
  var zoom = config.zoom > 0 ? config.zoom : 1;
  rx /= zoom;
  ry /= zoom;
  return {
    repeat: [rx, ry],
    offset: [(1 - rx) / 2 - (config.offsetX || 0) * rx, (1 - ry) / 2 - (config.offsetY || 0) * ry]
  };
}

var KBPS_KEY = 'ar-viewer-kbps';
/**
 * The network's speed in kbit/s: the bytes this page's downloads so far (libraries, target,
 * poster) took over the time any of them was arriving (Resource Timing from each response's first
 * byte, so round trips and the server's time do not count as slowness; overlaps counted once,
 * the gaps between them not at all). A warm cache downloads too little to tell: then what the last
 * visit measured, kept with the kind of network it was measured on (the Network Information API's
 * type: Wi-Fi, cellular). On another kind, or with nothing remembered, the API's estimate lowers
 * it or stands in for it; on the same kind it does not overrule a measure: a browser that has not
 * measured the network itself reports a default (Chromium: about 1.5 Mbit/s). Data saver or a 2G
 * network: 0, the lightest file.
 */
function networkKbps() {
  var c = navigator.connection;
  if (c && (c.saveData || c.effectiveType === 'slow-2g' || c.effectiveType === '2g')) { return 0; }
  var type = (c && c.type) || '';
  var spans = [], bytes = 0;
  (performance.getEntriesByType ? performance.getEntriesByType('resource') : []).forEach(function (e) {
    if (e.transferSize > 0 && e.responseEnd > e.responseStart) {
      bytes += e.transferSize;
      spans.push([e.responseStart, e.responseEnd]);
    }
  });
  spans.sort(function (a, b) { return a[0] - b[0]; });
  var busy = 0, end = -Infinity;
  spans.forEach(function (s) {
    busy += Math.max(0, s[1] - Math.max(s[0], end));
    end = Math.max(end, s[1]);
  });
  if (bytes >= 64 * 1024) {
    var measured = bytes * 8 / busy;
    try {
      localStorage.setItem(KBPS_KEY, JSON.stringify({ kbps: Math.round(measured), type: type }));
    } catch (e) { /* private mode */ }
    return measured;
  }
  var last = null;
  try { last = JSON.parse(localStorage.getItem(KBPS_KEY)); } catch (e) { /* refused (private mode) or unreadable */ }
  var kbps = last && last.kbps > 0 ? last.kbps : null;
  if (c && c.downlink > 0 && (kbps === null || last.type !== type)) {
    kbps = Math.min(kbps === null ? Infinity : kbps, c.downlink * 1000);
  }
  return kbps;
}

/**
 * The video file a target plays: the sharpest rendition whose bit rate fits 70 % of the network's
 * speed (the rest for sound, other downloads and wobble), else the lightest; without a measure
 * the 720p-class one. Projects compiled before renditions play their one video.
 */
function chooseVideo(art) {
  var list = art.renditions || [];
  if (!list.length) { return art.video; }
  if (state.kbps === null) { return list[Math.min(1, list.length - 1)].url; }
  for (var i = 0; i < list.length; i++) {
    if (list[i].kbps <= state.kbps * 0.7) { return list[i].url; }
  }
  return list[list.length - 1].url;
}

/**
 * The video plane of one target: the photo's size in MindAR's unit (the compiled target's width,
 * centred on it), the video texture placed by fitMode, the mask as alphaMap, and a fade-in.
 */
function VideoPlane(i) {
  var target = targets[i];
  var art = target.artifacts || {};
  var scale = config.videoScale || {};
  var width = target.photoWidth / target.targetWidth * (scale.width || 1);
  var height = target.photoHeight / target.targetWidth * (scale.height || 1);
  var video = document.createElement('video');
  video.muted = true;
  video.loop = loop;
  // the bundle and the target go first on a slow network; the video loads once tracking runs
  video.preload = 'none';
  video.crossOrigin = 'anonymous';
  video.setAttribute('playsinline', '');
  video.setAttribute('webkit-playsinline', '');
  var tf = textureTransform(width / height, target.videoWidth / target.videoHeight);
  function placed(texture) {
    texture.colorSpace = SRGBColorSpace;
    texture.repeat.set(tf.repeat[0], tf.repeat[1]);
    texture.offset.set(tf.offset[0], tf.offset[1]);
    return texture;
  }
  var texture = placed(new VideoTexture(video));
  var material = new MeshBasicMaterial({ map: texture, transparent: true, opacity: 0, side: DoubleSide });
  // The poster (a few KB) is on the plane from the start, the video once it has a frame.
  var poster = null;
  if (art.poster) {
    poster = placed(new TextureLoader().load(art.poster));
    material.map = poster;
    video.addEventListener('playing', function () {
      if (material.map !== texture) { material.map = texture; material.needsUpdate = true; }
    });
  }
  if (art.mask) {
    material.alphaMap = new TextureLoader().load(art.mask);
    material.alphaTest = 0.01;
  }
  var mesh = new Mesh(new PlaneGeometry(width, height), material);
  var pos = config.videoPosition || {}, rot = config.videoRotation || {};
  mesh.position.set(pos.x || 0, pos.y || 0, pos.z || 0);
  mesh.rotation.set(MathUtils.degToRad(rot.x || 0), MathUtils.degToRad(rot.y || 0), MathUtils.degToRad(rot.z || 0));
  var fading = false;
  state.videos[i] = video;
  state.planes[i] = mesh;
  this.mesh = mesh;
  this.fadeIn = function () { fading = true; };
  /** What the plane shows now: 'poster', 'video' (a decoded frame) or 'nothing' yet. */
  this.showing = function () {
    if (material.map === poster) { return poster.image && poster.image.complete && poster.image.naturalWidth ? 'poster' : 'nothing'; }
    return video.readyState >= 2 ? 'video' : 'nothing';
  };
  this.hide = function () { fading = false; material.opacity = 0; };
  /** Advances the fade by {@code ms} milliseconds of rendering. */
  this.tick = function (ms) {
    if (fading && material.opacity < 1) { material.opacity = Math.min(1, material.opacity + ms / 400); }
    watch();
  };

  // A video that should play but does not move is stuck when it has 2 s in hand and still does not
  // move for 2 s (a halted media pipeline: WebKitGTK's GStreamer, often at the first frames), or
  // when no byte arrives for 4 s either (a connection the phone's network dropped without closing
  // it). Browsers wait on either for ever; loaded anew, the video goes on where it stood. A slow
  // network is not stuck: its bytes keep coming ('progress'). Each try doubles the patience, for
  // a network too slow for a byte in 4 s. A page that did not render for a while (hidden) tells
  // nothing of its video meanwhile.
  var patience = 1, movedAt = performance.now(), fedAt = movedAt, watchedAt = movedAt, lastTime = -1;
  video.addEventListener('progress', function () { fedAt = performance.now(); });
  function watch() {
    var now = performance.now();
    var gap = now - watchedAt;
    watchedAt = now;
    if (gap > 2000 || video.paused || video.ended || video.error || video.currentTime !== lastTime) {
      movedAt = fedAt = now;
      lastTime = video.currentTime;
    } else if ((bufferedAhead(video) >= 2 && now - movedAt >= 2000 * patience) || now - fedAt >= 4000 * patience) {
      movedAt = fedAt = now;
      patience *= 2;
      state.restarts[i] = (state.restarts[i] || 0) + 1;
      report('stuck', { target: i });
      var at = video.currentTime;
      video.addEventListener('loadedmetadata', function () { video.currentTime = at; }, { once: true });
      video.load();
      video.play().catch(function () { playMuted(video); });
    }
  }
}

/** The seconds a video has loaded from where it stands on. */
function bufferedAhead(video) {
  var b = video.buffered, t = video.currentTime;
  for (var k = 0; k < b.length; k++) {
    if (b.start(k) <= t && t <= b.end(k)) { return b.end(k) - t; }
  }
  return 0;
}

var unmute = document.getElementById('unmute');
var soundAllowed = false;
function play(video) {
  video.muted = !soundAllowed;
  var started = video.play();
  if (!started || !started.then) { return; }
  started.then(function () {
    if (soundAllowed) { report('video', { target: state.videos.indexOf(video), sound: true }, video); return; }
    // Muted autoplay is always allowed; try sound, and where the browser needs a tap (iOS), ask for one.
    video.muted = false;
    setTimeout(function () {
      if (video.paused) {
        playMuted(video);
      } else {
        soundAllowed = true;
      }
      report('video', { target: state.videos.indexOf(video), sound: !video.muted }, video);
    }, 50);
  }).catch(function () {
    report('video', { target: state.videos.indexOf(video), sound: false }, video);
    playMuted(video);
  });
}
/** Plays video muted, which browsers always allow, and offers the unmute button for the sound. */
function playMuted(video) {
  video.muted = true;
  video.play().catch(function () {});
  unmute.classList.remove('hidden');
}
unmute.addEventListener('click', function () {
  soundAllowed = true;
  unmute.classList.add('hidden');
  state.videos.forEach(function (v, i) {
    if (v) {
      v.muted = false;
      if (state.found[i]) { v.play().catch(function () {}); }
    }
  });
});

function updateHints() {
  var now = state.found.filter(Boolean).length;
  show('scanning', state.phase === 'ready' && now === 0);
  if (targets.length > 1) {
    var ever = state.foundEver.filter(Boolean).length;
    var counter = document.getElementById('found-counter');
    counter.textContent = t.found.replace('{n}', ever).replace('{total}', targets.length);
    counter.classList.toggle('hidden', ever === 0);
  }
}

/**
 * Hands {@code stream} to MindAR's one request for the camera (it asks with the same constraints),
 * so the camera is opened once. If the stream ended while the scripts downloaded, MindAR asks anew.
 */
function lendCamera(stream) {
  if (!stream.active) { return; }
  var devices = navigator.mediaDevices;
  var ask = devices.getUserMedia;
  devices.getUserMedia = function () {
    devices.getUserMedia = ask;
    return Promise.resolve(stream);
  };
}

function buildScene(stream) {
  lendCamera(stream);
  var mindar = new MindARThree({
    container: document.getElementById('ar'), imageTargetSrc: data.markerUrl, maxTrack: Math.min(2, targets.length),
    filterMinCF: 0.0001, filterBeta: 0.003, warmupTolerance: 5, missTolerance: 10,
    uiLoading: 'no', uiScanning: 'no', uiError: 'no'
  });
  state.camera = mindar.camera;
  var planes = [];
  targets.forEach(function (target, i) {
    var anchor = mindar.addAnchor(i);
    var plane = target.artifacts && target.artifacts.video ? new VideoPlane(i) : null;
    if (plane) {
      anchor.group.add(plane.mesh);
      planes.push(plane);
    }
    anchor.onTargetFound = function () {
      report('found', { target: i });
      state.found[i] = true;
      state.foundEver[i] = true;
      updateHints();
      if (plane) {
        state.shownAtFound[i] = plane.showing();
        plane.fadeIn();
        if (autoPlay) { play(state.videos[i]); }
      }
    };
    anchor.onTargetLost = function () {
      report('lost', { target: i });
      state.found[i] = false;
      updateHints();
      if (plane) {
        state.videos[i].pause();
        plane.hide();
      }
    };
  });

  var clock = new Clock();
  mindar.start().then(function () {
    report('ready');
    state.phase = 'ready';
    // the target has downloaded by now: its download tells the network's speed
    state.kbps = networkKbps();
    state.videos.forEach(function (v, i) {
      if (v) {
        v.src = state.renditions[i] = chooseVideo(targets[i].artifacts);
        v.preload = 'auto';
        v.load();
      }
    });
    show('loading', false);
    updateHints();
    mindar.renderer.setAnimationLoop(function () {
      var ms = Math.min(100, clock.getDelta() * 1000);
      planes.forEach(function (plane) { plane.tick(ms); });
      mindar.renderer.render(mindar.scene, mindar.camera);
    });
  }, function () {
    report('camera', { result: 'failed', error: 'arError' });
    cameraError('failed');
  });
}

// The camera is asked for before MindAR starts, so each problem gets its own explanation.
if (!window.isSecureContext) {
  report('camera', { result: 'failed', error: 'insecure' });
  cameraError('insecure');
} else if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
  report('camera', { result: 'failed', error: 'unsupported' });
  cameraError('noCamera');
} else {
  // the page's head asked already (viewer.html), unless the page was written before it did
  (window.arCamera || navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })).then(function (stream) {
    report('camera', { result: 'allowed' });
    buildScene(stream);
  }, function (e) {
    var name = e && e.name;
    report('camera', { result: name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'failed', error: String(name).slice(0, 40) });
    cameraError(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied'
      : name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError' ? 'noCamera' : 'failed');
  });
}
