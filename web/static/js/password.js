/*
 * password.js - changing one's own password (/password), the first thing
 * an account signed in with a one-time password must do.
 */
(function () {
  'use strict';
  var O = window.Opcert;

  function init() {
    var form = document.getElementById('password-form');
    var error = document.getElementById('password-error');
    var button = document.getElementById('password-submit');
    var next = O.safeNext(new URLSearchParams(location.search).get('next'));

    O.session().then(function (s) {
      if (s && s.must_change) document.getElementById('password-first').hidden = false;
    });

    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      error.hidden = true;
      var oldPw = document.getElementById('old-password').value;
      var newPw = document.getElementById('new-password').value;
      var again = document.getElementById('new-password2').value;
      if (!oldPw || !newPw) {
        error.textContent = '请填写原密码和新密码。';
      } else if (newPw !== again) {
        error.textContent = '两次输入的新密码不一致。';
      } else {
        error.textContent = '';
      }
      if (error.textContent) {
        error.hidden = false;
        return;
      }
      button.disabled = true;
      try {
        await O.postJSON('/api/v1/password', { old_password: oldPw, new_password: newPw });
        location.assign(next);
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
        button.disabled = false;
      }
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
