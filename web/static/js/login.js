/*
 * login.js - the sign-in page (/login): POST /api/v1/session, then on to
 * the page asked for (?next=, a path on this site only), to /password when
 * the account still has its one-time password, else to the home page.
 */
(function () {
  'use strict';
  var O = window.Opcert;

  function init() {
    var form = document.getElementById('login-form');
    var error = document.getElementById('login-error');
    var button = document.getElementById('login-submit');
    var next = O.safeNext(new URLSearchParams(location.search).get('next'));

    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      error.hidden = true;
      var login = document.getElementById('login').value.trim();
      var password = document.getElementById('password').value;
      if (!login || !password) {
        error.textContent = '请输入用户名和密码。';
        error.hidden = false;
        return;
      }
      button.disabled = true;
      try {
        var s = await O.api('POST', '/api/v1/session', JSON.stringify({ login: login, password: password }), 'application/json');
        O.setSession(s);
        location.assign(s.must_change ? '/password?next=' + encodeURIComponent(next) : next);
      } catch (e) {
        error.textContent = e.status === 401 ? '用户名或密码错误。' : e.message;
        error.hidden = false;
        button.disabled = false;
        document.getElementById('password').value = '';
      }
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
