/*
 * v.js - the page a printed card's QR opens: https://HOST/v#OC1:...
 * The payload is in the fragment, which the browser never sends to any
 * server; it is percent-decoded and checked exactly as the scan page does.
 */
(function () {
  'use strict';
  var status = document.getElementById('v-status');
  var result = document.getElementById('result');
  var empty = document.getElementById('v-empty');

  async function run() {
    var payload = window.OpcertCred.percentDecode(location.hash.replace(/^#/, ''));
    window.Opcert.clear(result);
    result.hidden = true;
    if (!payload.trim()) {
      status.textContent = '';
      empty.hidden = false;
      return;
    }
    empty.hidden = true;
    status.textContent = '正在核验…';
    try {
      await window.OpcertCheck.check(payload, result, status);
    } catch (e) {
      window.Opcert.showError(result, '核验出错：' + e.message);
      status.textContent = '';
    }
  }

  window.addEventListener('hashchange', run);
  run();
})();
