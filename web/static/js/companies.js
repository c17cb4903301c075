/*
 * companies.js - the companies page (/companies): the companies in the
 * caller's scope, filtered by district and kind, and the form to register
 * one for the city and district bureaus (a district officer in their own
 * district).
 */
(function () {
  'use strict';
  var O = window.Opcert;
  var G = window.OpcertOrg;

  var FIELDS = [['company-uscc', '统一社会信用代码'], ['company-name', '单位名称'], ['company-kind', '单位类型'],
    ['company-district', '所在区'], ['company-contact', '联系人'], ['company-phone', '联系电话']];

  function row(c) {
    var tr = O.el('tr', { 'data-uscc': c.uscc, class: c.closed ? 'tone-warn' : null });
    tr.appendChild(G.cell('单位名称', G.companyLink(c)));
    tr.appendChild(G.cell('统一社会信用代码', c.uscc, 'mono'));
    tr.appendChild(G.cell('类型', c.kind_label));
    tr.appendChild(G.cell('所在区', c.district));
    tr.appendChild(G.cell('状态', c.closed ? '已注销' : '正常'));
    return tr;
  }

  async function load() {
    await G.loadList('companies', '/api/v1/companies' + G.query([['district', G.value('filter-district')],
        ['kind', G.value('filter-kind')], ['closed', document.getElementById('filter-closed').checked ? '1' : '']]), row, '家');
  }

  async function add(ev) {
    ev.preventDefault();
    var body = { uscc: G.value('company-uscc'), name: G.value('company-name'), kind: G.value('company-kind'),
      district: G.value('company-district'), contact: G.value('company-contact'), phone: G.value('company-phone') };
    await G.addRecord('company', '/api/v1/companies', body, FIELDS,
      function (res) { return '已登记：' + res.company.name + '（' + res.company.uscc + '）'; },
      ['company-uscc', 'company-name', 'company-contact', 'company-phone'], load);
  }

  async function init() {
    var s = await O.session();
    var r = G.role(s);
    if (r === 'district_officer') {
      document.getElementById('scope-note').textContent = '本区（' + s.principal.org_name + '）的单位。点击单位名称查看详情和项目。';
      var d = document.getElementById('company-district');
      d.value = s.principal.org_name;
      d.readOnly = true;
    } else if (r === 'company_user') {
      document.getElementById('scope-note').textContent = '本单位的登记信息。';
    }
    if (G.isCity(r) || r === 'district_officer') document.getElementById('company-form').hidden = false;
    document.getElementById('company-filter').addEventListener('submit', function (ev) {
      ev.preventDefault();
      load();
    });
    document.getElementById('company-form').addEventListener('submit', add);
    G.loadDistricts('district-names');
    await load();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
