// A camera for engines without a fake-device flag (Firefox, WebKitGTK): an init script that answers
// getUserMedia with a canvas's captureStream() showing the print on a grey table, as Chromium's
// fake camera does with the MJPEG file. It also records the page's CSP violations (cspViolations).
import { readFileSync } from 'node:fs';

export function cameraShim(photoPath) {
  const dataUrl = 'data:image/jpeg;base64,' + readFileSync(photoPath).toString('base64');
  return `(() => {
    // what the page's Content-Security-Policy blocks, for the test to read
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    const photo = new Image();
    photo.src = ${JSON.stringify(dataUrl)};
    const getUserMedia = async () => {
      await photo.decode();
      const canvas = document.createElement('canvas');
      canvas.width = 640; canvas.height = 480;
      const g = canvas.getContext('2d');
      const draw = () => {
        g.fillStyle = '#808080'; g.fillRect(0, 0, 640, 480);
        g.drawImage(photo, 120, 80, 400, 320);
      };
      draw();
      setInterval(draw, 100);
      return canvas.captureStream(10);
    };
    // on the prototype: an engine may make navigator.mediaDevices only when it is first read
    if (window.MediaDevices) {
      Object.defineProperty(MediaDevices.prototype, 'getUserMedia', { value: getUserMedia, configurable: true });
    } else {
      Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia }, configurable: true });
    }
  })();`;
}
