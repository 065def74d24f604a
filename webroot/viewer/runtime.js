// The first of the viewer's two bundled scripts (src/build/vendor-assets.mjs): TensorFlow.js and
// MindAR's controller, the part of the viewer the GPU needs before tracking can start. It comes
// alone on the network, then asks for the target and for the scene script (three.js, MindAR's
// three.js build and viewer.js, which takes the Controller from window.arRuntime) and, while those
// download, compiles MindAR's detector for the camera the page's head asked for. MindAR then finds
// its shader programs compiled. A page that loads viewer.js unbundled has none of this.
import { backend } from '@tensorflow/tfjs';
import { Controller as MindARController } from 'mind-ar/src/image-target/controller.js';
import { CropDetector } from 'mind-ar/src/image-target/detector/crop-detector.js';
import { InputLoader } from 'mind-ar/src/image-target/input-loader.js';

var uniformShapes = false;

/**
 * Lets TensorFlow.js compile MindAR's kernels, which are plain objects, with shapes as uniforms, as
 * it does its own: one program then serves every octave of the detector's pyramid, not one per size
 * (but for the kernels whose code names their size). Called when first needed: the page may have
 * no camera.
 */
function shapesAsUniforms() {
  if (uniformShapes) return;
  uniformShapes = true;
  var gl = backend();
  var run = gl.runWebGLProgram;
  gl.runWebGLProgram = function (program) {
    if (program.constructor === Object && program.enableShapeUniforms === undefined) {
      program.enableShapeUniforms = true;
    }
    return run.apply(this, arguments);
  };
}

/**
 * MindAR's controller, whose warm-up run (dummyRun, whose results nothing reads: it compiles the
 * shader programs) leaves out the detector when this script compiled it for the camera's size.
 */
class Controller extends MindARController {
  constructor(options) {
    shapesAsUniforms();
    super(options);
  }

  dummyRun(input) {
    var compiled = window.arRuntime.compiledFor;
    if (!compiled || compiled[0] !== this.inputWidth || compiled[1] !== this.inputHeight) {
      super.dummyRun(input);
      return;
    }
    var inputT = this.inputLoader.loadInput(input);
    this.tracker.dummyRun(inputT);
    inputT.dispose();
  }
}

window.arRuntime = { Controller: Controller, compiledFor: null };

var here = document.currentScript.src;

// The target, once this script is here: on a slow network it then does not share the bandwidth
// with it. MindAR's own fetch of it gets this download.
(function () {
  var url = document.querySelector('meta[name="ar-marker"]').content;
  var fetch = window.fetch;
  var early = fetch.call(window, url);
  window.fetch = function (resource) {
    if (early && resource === url) {
      var first = early;
      early = null;
      return first;
    }
    return fetch.apply(this, arguments);
  };
})();

var scene = document.createElement('script');
// SCENE_SCRIPT: the scene script's name and version, set by the build
scene.src = new URL(SCENE_SCRIPT, here).href;
document.head.appendChild(scene);

/**
 * Compiles MindAR's detector for a camera image of {@code width} x {@code height}: what MindAR's
 * own first run on the camera does, on a blank image (the programs depend on the size only).
 */
function compileDetector(width, height) {
  shapesAsUniforms();
  var blank = document.createElement('canvas');
  blank.width = width;
  blank.height = height;
  var loader = new InputLoader(width, height);
  var input = loader.loadInput(blank);
  // the detector keeps a few KB of constant tensors, which the page never needs again
  new CropDetector(width, height).detect(input);
  input.dispose();
  backend().disposeData(loader.tempPixelHandle.dataId);
}

/** Compiles the detector for a camera of {@code width} x {@code height} unless it is already. */
function compileFor(width, height) {
  var done = window.arRuntime.compiledFor;
  if (done && done[0] === width && done[1] === height) return;
  compileDetector(width, height);
  window.arRuntime.compiledFor = [width, height];
}

// The size most browsers give a page that asks for none (Chromium's and Firefox's default).
var USUAL_CAMERA = [640, 480];

if (window.arCamera) {
  var answered = false;
  window.arCamera.then(function (stream) {
    answered = true;
    var track = stream.getVideoTracks()[0];
    var settings = track && track.getSettings ? track.getSettings() : {};
    if (settings.width > 0 && settings.height > 0) compileFor(settings.width, settings.height);
  }, function () { answered = true; /* viewer.js explains the camera's problem */ });
  // A camera not open yet (its prompt waits for the customer's tap; a phone's camera takes a second
  // to start) does not hold the compiling up: it starts for the usual size. Another camera's size
  // then compiles only the few programs that name their size (shapes are uniforms).
  Promise.resolve().then(function () {
    if (!answered) compileFor(USUAL_CAMERA[0], USUAL_CAMERA[1]);
  });
}
