/*
 * district.js - a district unit's page (/districts/NAME): its accounts.
 * The server answers only for a district the caller may see.
 */
(function () {
  'use strict';
  var O = window.Opcert;

  async function init() {
    var name = decodeURIComponent(location.pathname.replace(/^\/districts\//, ''));
    var title = document.getElementById('district-title');
    var error = document.getElementById('district-error');
    var list = document.getElementById('district-accounts');
    title.textContent = name;
    document.title = name + ' · 特种作业操作证核验';
    try {
      var d = await O.getJSON('/api/v1/districts/' + encodeURIComponent(name));
      if (!d.accounts.length) list.appendChild(O.el('li', { text: '本区还没有账号。' }));
      d.accounts.forEach(function (a) {
        list.appendChild(O.el('li', { text: a.login + '（' + a.role_label + (a.org_name ? '，' + a.org_name : '') + '）' + (a.disabled ? '：已停用' : '') }));
      });
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
