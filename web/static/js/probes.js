/*
 * probes.js - the probe limit's counts (/probes, for the city): per
 * account or client address, the certificates it tried ID numbers for,
 * its wrong tries, its refusals and the certificates at the limit in the
 * last 24 hours (GET /api/v1/probes).  The city administrator gets a
 * 清除 button per row (POST /api/v1/probes/clear); the server decides who
 * may (src/http/routes.c), the button only shows the way.
 */
(function () {
  'use strict';
  var O = window.Opcert;

  function showError(message) {
    var e = document.getElementById('probes-error');
    e.textContent = message || '';
    e.hidden = !message;
  }

  function subjectText(s) {
    if (s.kind === 'account') return s.subject.slice('account:'.length);
    return '地址 ' + s.subject.slice('address:'.length);
  }

  function cell(label, text, cls) {
    return O.el('td', { 'data-label': label, class: cls || null, text: String(text) });
  }

  async function clearSubject(s) {
    if (!confirm('清除 ' + subjectText(s) + ' 在 24 小时内的全部试错和拒绝记录？清除后可以再次核对。')) return;
    showError('');
    try {
      await O.postJSON('/api/v1/probes/clear', { subject: s.subject });
      await load();
    } catch (e) {
      showError(e.message);
    }
  }

  function row(s, admin) {
    var tr = O.el('tr', { 'data-subject': s.subject });
    tr.appendChild(cell('账号或地址', subjectText(s), 'mono'));
    tr.appendChild(cell('试过的证书', s.certificates));
    tr.appendChild(cell('试错次数', s.misses));
    tr.appendChild(cell('被拒绝次数', s.refusals));
    tr.appendChild(cell('已达上限的证书', s.at_limit));
    tr.appendChild(cell('最近一次', s.last_time));
    var ops = O.el('td', { 'data-label': '操作', class: 'ops' });
    if (admin) {
      var b = O.el('button', { type: 'button', class: 'button small', text: '清除' });
      b.addEventListener('click', function () { clearSubject(s); });
      ops.appendChild(b);
    } else {
      ops.textContent = '—';
    }
    tr.appendChild(ops);
    return tr;
  }

  async function load() {
    var s = await O.session();
    var admin = !!(s && s.principal && s.principal.role === 'city_admin');
    var tbody = document.querySelector('#probes-table tbody');
    try {
      var res = await O.getJSON('/api/v1/probes');
      document.getElementById('probes-limit').textContent = String(res.limit);
      O.clear(tbody);
      res.subjects.forEach(function (x) { tbody.appendChild(row(x, admin)); });
      document.getElementById('probes-count').textContent = res.subjects.length
        ? '共 ' + res.subjects.length + ' 个账号或地址。'
        : '24 小时内没有试错记录。';
    } catch (e) {
      showError(e.message);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', load);
  else load();
})();
