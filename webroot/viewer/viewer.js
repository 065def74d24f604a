// Builds the MindAR scene of one project from the JSON the page carries (see ViewerPage).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('ar-data').textContent);
  var TEXT = {
    en: {
      loading: 'Starting the camera…', scanning: 'Point your camera at the printed photo',
      cameraTitle: 'The camera is not available', denied: 'Allow camera access in your browser settings, then reload the page.',
      noCamera: 'This device has no camera we can use.', insecure: 'Open this page over https to use the camera.',
      failed: 'The AR experience could not start on this device.', unmute: '🔊 Sound on', share: 'Share',
      copied: 'Link copied', found: 'Found {n} of {total}'
    },
    ru: {
      loading: 'Запускаем камеру…', scanning: 'Наведите камеру на напечатанное фото',
      cameraTitle: 'Камера недоступна', denied: 'Разрешите доступ к камере в настройках браузера и обновите страницу.',
      noCamera: 'На этом устройстве нет доступной камеры.', insecure: 'Откройте страницу по https, чтобы использовать камеру.',
      failed: 'AR не удалось запустить на этом устройстве.', unmute: '🔊 Включить звук', share: 'Поделиться',
      copied: 'Ссылка скопирована', found: 'Найдено {n} из {total}'
    }
  };
  var lang = (navigator.languages && navigator.languages[0] || navigator.language || 'en').toLowerCase().indexOf('ru') === 0 ? 'ru' : 'en';
  var t = TEXT[lang];
  document.documentElement.lang = lang;
  Array.prototype.forEach.call(document.querySelectorAll('[data-text]'), function (el) {
    el.textContent = t[el.getAttribute('data-text')];
  });

  var config = data.config || {};
  var targets = data.targets || [];
  var loop = config.loop !== false;
  var autoPlay = config.autoPlay !== false;

  function show(id, visible) { document.getElementById(id).classList.toggle('hidden', !visible); }
  function cameraError(message) {
    show('loading', false); show('scanning', false);
    document.getElementById('camera-error-text').textContent = message;
    show('camera-error', true);
  }

  if (!window.isSecureContext) { cameraError(t.insecure); return; }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { cameraError(t.noCamera); return; }

  var scene = document.createElement('a-scene');
  scene.setAttribute('mindar-image', 'imageTargetSrc: ' + data.markerUrl + '; maxTrack: ' + Math.min(2, targets.length) +
    '; filterMinCF: 0.0001; filterBeta: 0.003; warmupTolerance: 5; missTolerance: 10; uiLoading: no; uiScanning: no; uiError: no');
  scene.setAttribute('color-space', 'sRGB');
  scene.setAttribute('renderer', 'colorManagement: true');
  scene.setAttribute('vr-mode-ui', 'enabled: false');
  scene.setAttribute('device-orientation-permission-ui', 'enabled: false');

  var assets = document.createElement('a-assets');
  var camera = document.createElement('a-camera');
  camera.setAttribute('position', '0 0 0');
  camera.setAttribute('look-controls', 'enabled: false');
  scene.appendChild(assets);
  scene.appendChild(camera);

  var videos = [];
  var found = {};
  targets.forEach(function (target, i) {
    var art = target.artifacts || {};
    var anchor = document.createElement('a-entity');
    anchor.setAttribute('mindar-image-target', 'targetIndex: ' + i);
    if (!art.video) { scene.appendChild(anchor); return; }
    var video = document.createElement('video');
    video.id = 'ar-video-' + i;
    video.src = art.video;
    video.muted = true;
    video.loop = loop;
    video.preload = 'auto';
    video.crossOrigin = 'anonymous';
    video.setAttribute('playsinline', '');
    video.setAttribute('webkit-playsinline', '');
    assets.appendChild(video);
    videos[i] = video;
    var material = 'shader: flat; src: #' + video.id + '; transparent: true; opacity: 0';
    if (art.mask) {
      var mask = document.createElement('img');
      mask.id = 'ar-mask-' + i;
      mask.src = art.mask;
      mask.crossOrigin = 'anonymous';
      assets.appendChild(mask);
      material += '; alphaMap: #' + mask.id + '; alphaTest: 0.01';
    }
    var zoom = config.zoom || 1;
    material += '; repeat: ' + (1 / zoom) + ' ' + (1 / zoom) +
      '; offset: ' + ((1 - 1 / zoom) / 2 + (config.offsetX || 0)) + ' ' + ((1 - 1 / zoom) / 2 + (config.offsetY || 0));
    var plane = document.createElement('a-plane');
    // MindAR's unit is the target's width; the photo may sit inside a border frame.
    var scale = config.videoScale || {};
    plane.setAttribute('width', (target.photoWidth / target.targetWidth) * (scale.width || 1));
    plane.setAttribute('height', (target.photoHeight / target.targetWidth) * (scale.height || 1));
    var pos = config.videoPosition || {};
    plane.setAttribute('position', (pos.x || 0) + ' ' + (pos.y || 0) + ' ' + (pos.z || 0));
    var rot = config.videoRotation || {};
    plane.setAttribute('rotation', (rot.x || 0) + ' ' + (rot.y || 0) + ' ' + (rot.z || 0));
    plane.setAttribute('material', material);
    plane.setAttribute('animation__fadein', 'property: material.opacity; from: 0; to: 1; dur: 400; startEvents: fadein');
    plane.classList.add('ar-plane');
    anchor.appendChild(plane);
    anchor.addEventListener('targetFound', function () {
      found[i] = true;
      updateCounter();
      plane.emit('fadein');
      if (autoPlay) { play(video); }
    });
    anchor.addEventListener('targetLost', function () {
      video.pause();
      plane.setAttribute('material', 'opacity', 0);
    });
    scene.appendChild(anchor);
  });

  function updateCounter() {
    if (targets.length < 2) { return; }
    var el = document.getElementById('found-counter');
    el.textContent = t.found.replace('{n}', Object.keys(found).length).replace('{total}', targets.length);
    el.classList.remove('hidden');
  }

  var unmute = document.getElementById('unmute');
  function play(video) {
    var p = video.play();
    if (p && p.then) {
      p.then(function () {
        if (video.muted) {
          // Muted autoplay is always allowed; sound needs a gesture on iOS, so offer a button then.
          video.muted = false;
          if (video.paused) { video.muted = true; video.play(); unmute.hidden = false; }
        }
      }).catch(function () { unmute.hidden = false; });
    }
  }
  unmute.addEventListener('click', function () {
    videos.forEach(function (v) { if (v) { v.muted = false; if (!v.paused || found[videos.indexOf(v)]) { v.play(); } } });
    unmute.hidden = true;
  });

  document.getElementById('share').addEventListener('click', function () {
    var url = data.viewUrl || location.href;
    if (navigator.share) { navigator.share({ url: url }).catch(function () {}); return; }
    if (navigator.clipboard) { navigator.clipboard.writeText(url).then(function () { alert(t.copied); }); }
  });

  scene.addEventListener('arReady', function () { show('loading', false); show('scanning', true); });
  scene.addEventListener('arError', function () {
    navigator.mediaDevices.getUserMedia({ video: true }).then(function (s) {
      s.getTracks().forEach(function (tr) { tr.stop(); });
      cameraError(t.failed);
    }).catch(function (e) {
      cameraError(e && e.name === 'NotAllowedError' ? t.denied : t.noCamera);
    });
  });
  var foundAny = function () { show('scanning', Object.keys(found).length === 0); };
  scene.addEventListener('targetFound', foundAny, true);
  document.body.appendChild(scene);
  window.arViewer = { data: data, scene: scene, videos: videos, found: found };
})();
