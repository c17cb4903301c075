/*
 * batch.js - 批量核验: the roster's raw bytes (any encoding: the server
 * detects it) -> POST /api/v1/verify/roster -> a table, problem rows first,
 * counts per verdict, and the results as a CSV with a UTF-8 BOM.
 */
(function () {
  'use strict';
  var O = window.Opcert;
  var MAX_BYTES = 8 * 1024 * 1024;
  var form = document.getElementById('batch-form');
  var input = document.getElementById('roster');
  var error = document.getElementById('batch-error');
  var submit = document.getElementById('batch-submit');
  var section = document.getElementById('batch-result');
  var total = document.getElementById('batch-total');
  var counts = document.getElementById('batch-counts');
  var download = document.getElementById('batch-download');
  var tbody = document.querySelector('#batch-table tbody');
  var fileName = document.getElementById('roster-name');
  var downloadUrl = null;

  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    fileName.textContent = file ? '已选择：' + file.name : '尚未选择文件';
    error.hidden = true;
  });

  function fail(msg) {
    error.textContent = msg;
    error.hidden = false;
  }

  function fieldsText(fields) {
    return (fields || []).map(function (f) { return O.FIELDS[f] || f; }).join('、');
  }

  /* problem rows first (most serious first), then by row number */
  function sortRows(rows) {
    return rows.slice().sort(function (a, b) {
      return O.severity(a.verdict) - O.severity(b.verdict) || a.row - b.row;
    });
  }

  function csvCell(v) {
    var s = v === undefined || v === null ? '' : String(v);
    /* a cell that a spreadsheet would run as a formula is quoted as text */
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function toCsv(rows) {
    var lines = [['行号', '姓名', '证书编号', '结论', '结论代码', '全部结论', '不符项', '说明'].join(',')];
    rows.forEach(function (r) {
      lines.push([
        r.row, r.name, r.number, O.verdictInfo(r.verdict).label, r.verdict,
        (r.findings || []).join(' '), fieldsText(r.mismatched_fields), r.message
      ].map(csvCell).join(','));
    });
    return '\uFEFF' + lines.join('\r\n') + '\r\n';
  }

  function render(rows, fileName) {
    var sorted = sortRows(rows);
    O.clear(tbody);
    O.clear(counts);

    var byVerdict = {};
    rows.forEach(function (r) { byVerdict[r.verdict] = (byVerdict[r.verdict] || 0) + 1; });
    var problems = rows.filter(function (r) { return r.verdict !== 'valid'; }).length;
    total.textContent = '共 ' + rows.length + ' 人：' + (rows.length - problems) + ' 人有效，' + problems + ' 人有问题。';
    Object.keys(byVerdict).sort(function (a, b) { return O.severity(a) - O.severity(b); }).forEach(function (v) {
      var info = O.verdictInfo(v);
      counts.appendChild(O.el('li', { class: 'count tone-' + info.tone, 'data-verdict': v }, [
        O.el('span', { class: 'count-label', text: info.label }),
        O.el('span', { class: 'count-n', text: String(byVerdict[v]) })
      ]));
    });

    sorted.forEach(function (r) {
      var info = O.verdictInfo(r.verdict);
      var msg = r.message || '';
      var fields = fieldsText(r.mismatched_fields);
      if (fields && msg.indexOf(fields) < 0) msg += '（不符：' + fields + '）';
      tbody.appendChild(O.el('tr', { class: 'tone-' + info.tone, 'data-verdict': r.verdict }, [
        O.el('td', { 'data-label': '行', text: String(r.row) }),
        O.el('td', { 'data-label': '姓名', text: r.name || '' }),
        O.el('td', { 'data-label': '证书编号', class: 'mono', text: r.number || '（未填）' }),
        O.el('td', { 'data-label': '结论' }, [O.el('span', { class: 'badge tone-' + info.tone, text: info.label })]),
        O.el('td', { 'data-label': '说明', text: msg })
      ]));
    });

    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([toCsv(sorted)], { type: 'text/csv;charset=utf-8' }));
    download.href = downloadUrl;
    download.setAttribute('download', (fileName || '花名册').replace(/\.[^.]*$/, '') + '-核验结果.csv');
    section.hidden = false;
    section.scrollIntoView({ block: 'start' });
  }

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    error.hidden = true;
    var file = input.files && input.files[0];
    if (!file) return fail('请先选择花名册文件。');
    if (file.size === 0) return fail('这个文件是空的。');
    if (file.size > MAX_BYTES) return fail('文件太大（超过 8 MB），请分成几个文件上传。');
    submit.disabled = true;
    submit.textContent = '正在核验…';
    try {
      var bytes = await file.arrayBuffer();
      var rows = await O.api('POST', '/api/v1/verify/roster', bytes, 'text/csv');
      if (!Array.isArray(rows)) throw new Error('服务器返回的结果格式不对。');
      if (rows.length === 0) {
        section.hidden = true;
        fail('花名册中没有人员记录。');
      } else {
        render(rows, file.name);
      }
    } catch (e) {
      section.hidden = true;
      fail(e.message);
    } finally {
      submit.disabled = false;
      submit.textContent = '开始核验';
    }
  });
})();
