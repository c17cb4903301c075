/*
 * company.js - one company's page (/companies/USCC): its record, the
 * projects it builds or supervises that the caller sees, and for those who
 * may, changing its details (a company user its contact only) and closing
 * it.  The server answers only for a company in the caller's scope.
 */
(function () {
  'use strict';
  var O = window.Opcert;
  var G = window.OpcertOrg;

  var FIELDS = [['change-name', '名称'], ['change-district', '所在区'], ['change-contact', '联系人'],
    ['change-phone', '联系电话']];
  var uscc = decodeURIComponent(location.pathname.replace(/^\/companies\//, ''));
  var current = null;

  function show(res) {
    var c = res.company;
    current = c;
    document.getElementById('company-title').textContent = c.name;
    document.title = c.name + ' · 特种作业操作证核验';
    G.details(document.getElementById('company-details'), [
      ['单位名称', c.name, 'name'], ['统一社会信用代码', c.uscc, 'uscc'], ['单位类型', c.kind_label, 'kind'],
      ['所在区', c.district, 'district'], ['联系人', c.contact, 'contact'], ['联系电话', c.phone, 'phone'],
      ['状态', c.closed ? '已注销' : '正常', 'state']
    ]);
    var tbody = document.querySelector('#company-projects tbody');
    O.clear(tbody);
    if (!res.projects.length) {
      var tr = O.el('tr');
      tr.appendChild(O.el('td', { colspan: '4', text: '没有您可查看的项目。' }));
      tbody.appendChild(tr);
    }
    res.projects.forEach(function (p) {
      var tr = O.el('tr', { 'data-id': String(p.id) });
      tr.appendChild(G.cell('项目名称', O.el('a', { href: '/projects/' + p.id, text: p.name })));
      tr.appendChild(G.cell('所在区', p.district));
      tr.appendChild(G.cell('本单位', p.builder && p.builder.uscc === c.uscc ? '施工' : '监理'));
      tr.appendChild(G.cell('状态', p.state_label));
      tbody.appendChild(tr);
    });
  }

  async function load() {
    try {
      show(await O.getJSON('/api/v1/companies/' + encodeURIComponent(uscc)));
      return true;
    } catch (e) {
      G.showError('company-error', e.status === 404 ? '没有找到这个单位，或它不在您的数据范围内。' : e.message);
      return false;
    }
  }

  async function change(ev) {
    ev.preventDefault();
    G.showError('change-error', '');
    G.showStatus('change-done', '');
    var body = G.edited([['name', 'change-name'], ['district', 'change-district'], ['contact', 'change-contact'],
      ['phone', 'change-phone']]);
    await G.saveChange('/api/v1/companies/' + encodeURIComponent(uscc) + '/change', body, FIELDS, load, fillForm);
  }

  function fillForm() {
    G.fillForm([['change-name', current.name], ['change-district', current.district || ''],
      ['change-contact', current.contact], ['change-phone', current.phone]]);
  }

  async function close() {
    await G.closeRecord('注销单位“' + current.name + '”？记录保留，但不能再登记新项目。',
      '/api/v1/companies/' + encodeURIComponent(uscc) + '/close', load, ['company-change-form', 'company-close-box']);
  }

  async function init() {
    var s = await O.session();
    var r = G.role(s);
    if (!(await load())) return;
    if (current.closed) return;
    var mayChange = G.isCity(r) || r === 'district_officer' || r === 'company_user';
    if (mayChange) {
      if (r === 'company_user') {
        document.getElementById('change-name').closest('.field').hidden = true;
        document.getElementById('change-district').closest('.field').hidden = true;
      }
      if (r === 'district_officer') document.getElementById('change-district').readOnly = true;
      fillForm();
      document.getElementById('company-change-form').hidden = false;
      document.getElementById('company-change-form').addEventListener('submit', change);
      G.loadDistricts('district-names');
    }
    if (G.isCity(r) || r === 'district_officer') {
      document.getElementById('company-close-box').hidden = false;
      document.getElementById('company-close').addEventListener('click', close);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
