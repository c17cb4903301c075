/* scan.js - 扫码核验: the rear camera (continuous scan) or a photo, decoded with jsQR */
(function () {
  'use strict';
  var startBtn = document.getElementById('camera-start');
  var stopBtn = document.getElementById('camera-stop');
  var camera = document.getElementById('camera');
  var video = document.getElementById('video');
  var photo = document.getElementById('photo');
  var status = document.getElementById('scan-status');
  var result = document.getElementById('result');
  var again = document.getElementById('again');

  var canvas = document.createElement('canvas');
  var ctx = canvas.getContext('2d', { willReadFrequently: true });
  var stream = null;
  var timer = null;
  var busy = false;

  function say(msg) {
    status.textContent = msg;
  }

  /* The QR text in an image, scaled so that its longer side is maxSide. */
  function decodeFrom(source, w, h, maxSide, thorough) {
    var scale = Math.min(1, maxSide / Math.max(w, h));
    var cw = Math.max(1, Math.round(w * scale)), ch = Math.max(1, Math.round(h * scale));
    canvas.width = cw;
    canvas.height = ch;
    ctx.drawImage(source, 0, 0, cw, ch);
    var img = ctx.getImageData(0, 0, cw, ch);
    var code = window.jsQR(img.data, cw, ch, { inversionAttempts: thorough ? 'attemptBoth' : 'dontInvert' });
    return code && code.data ? code.data : null;
  }

  async function handle(text) {
    busy = true;
    startBtn.disabled = true;
    try {
      await window.OpcertCheck.check(text, result, status);
    } catch (e) {
      window.Opcert.showError(result, '核验出错：' + e.message);
    } finally {
      busy = false;
      startBtn.disabled = false;
      again.hidden = false;
      result.scrollIntoView({ block: 'start' });
    }
  }

  /* ---- camera ------------------------------------------------------------- */

  function stopCamera() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.srcObject = null;
    camera.hidden = true;
    startBtn.hidden = false;
  }

  function tick() {
    timer = null;
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      var text = decodeFrom(video, video.videoWidth, video.videoHeight, 800, false);
      if (text) {
        stopCamera();
        say('已识别二维码。');
        handle(text);
        return;
      }
    }
    timer = setTimeout(tick, 120);
  }

  async function startCamera() {
    if (busy) return;
    if (!window.jsQR) {
      say('二维码识别组件没有加载，请刷新页面后重试。');
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say('此浏览器无法打开摄像头（需要通过 HTTPS 访问）。请改用“拍照或选择证书照片”。');
      return;
    }
    say('正在打开摄像头…');
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } }
      });
    } catch (e) {
      stream = null;
      if (e && e.name === 'NotAllowedError') say('没有得到摄像头权限。请在浏览器设置中允许使用摄像头，或改用拍照上传。');
      else if (e && (e.name === 'NotFoundError' || e.name === 'OverconstrainedError')) say('没有找到可用的摄像头，请改用拍照上传。');
      else say('无法打开摄像头，请改用拍照上传。');
      return;
    }
    video.srcObject = stream;
    camera.hidden = false;
    startBtn.hidden = true;
    again.hidden = true;
    try {
      await video.play();
    } catch (e) { /* autoplay of a muted inline video is allowed; the loop waits for frames */ }
    say('正在扫码…');
    tick();
  }

  startBtn.addEventListener('click', startCamera);
  stopBtn.addEventListener('click', function () {
    stopCamera();
    say('');
  });
  again.addEventListener('click', function () {
    window.Opcert.clear(result);
    result.hidden = true;
    again.hidden = true;
    say('');
    startCamera();
  });
  document.addEventListener('visibilitychange', function () {
    if (document.hidden && stream) {
      stopCamera();
      say('已暂停扫码。');
    }
  });

  /* ---- photo upload ------------------------------------------------------- */

  function loadImage(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file).catch(function () { return loadViaImg(file); });
    }
    return loadViaImg(file);
  }

  function loadViaImg(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = function () { reject(new Error('无法读取图片')); };
      img.src = url;
    });
  }

  photo.addEventListener('change', async function () {
    var file = photo.files && photo.files[0];
    photo.value = '';
    if (!file || busy) return;
    if (!window.jsQR) {
      say('二维码识别组件没有加载，请刷新页面后重试。');
      return;
    }
    stopCamera();
    say('正在识别照片中的二维码…');
    var img;
    try {
      img = await loadImage(file);
    } catch (e) {
      say('无法读取这张图片，请换一张 JPEG 或 PNG 照片。');
      return;
    }
    var w = img.width || img.naturalWidth, h = img.height || img.naturalHeight;
    var text = null;
    /* several sizes: a small QR in a large photo needs the detail, a blurry one less */
    var sizes = [1280, 2048, 800, 480];
    for (var i = 0; i < sizes.length && !text; i++) {
      if (i > 0 && sizes[i] > Math.max(w, h) && sizes[i - 1] >= Math.max(w, h)) continue;
      text = decodeFrom(img, w, h, sizes[i], true);
    }
    if (img.close) img.close();
    if (!text) {
      say('没有在照片中找到二维码。请让二维码占满画面的一半左右，对好焦、避免反光后再试。');
      return;
    }
    say('已识别二维码。');
    handle(text);
  });
})();
