/*
 * institutions.js - the training institutions page (/institutions): the
 * institutions in the caller's scope, filtered by district, and for the
 * city the form to register one.
 */
(function () {
  'use strict';
  var O = window.Opcert;
  var G = window.OpcertOrg;

  var FIELDS = [['institution-name', '培训机构名称'], ['institution-district', '所在区'],
    ['institution-contact', '联系人'], ['institution-phone', '联系电话']];

  function row(i) {
    var tr = O.el('tr', { 'data-id': String(i.id), class: i.closed ? 'tone-warn' : null });
    tr.appendChild(G.cell('机构名称', G.institutionLink(i)));
    tr.appendChild(G.cell('所在区', i.district));
    tr.appendChild(G.cell('联系人', i.contact));
    tr.appendChild(G.cell('状态', i.closed ? '已注销' : '正常'));
    return tr;
  }

  async function load() {
    await G.loadList('institutions', '/api/v1/institutions' + G.query([['district', G.value('filter-district')],
        ['closed', document.getElementById('filter-closed').checked ? '1' : '']]), row, '家');
  }

  async function add(ev) {
    ev.preventDefault();
    var body = { name: G.value('institution-name'), district: G.value('institution-district'),
      contact: G.value('institution-contact'), phone: G.value('institution-phone') };
    await G.addRecord('institution', '/api/v1/institutions', body, FIELDS,
      function (res) { return '已登记：' + res.institution.name; },
      ['institution-name', 'institution-contact', 'institution-phone'], load);
  }

  async function init() {
    var s = await O.session();
    var r = G.role(s);
    if (r === 'district_officer') {
      document.getElementById('scope-note').textContent = '本区（' + s.principal.org_name + '）的培训机构。点击机构名称查看详情。';
    } else if (r === 'training_user') {
      document.getElementById('scope-note').textContent = '本机构的登记信息。';
    }
    if (G.isCity(r)) document.getElementById('institution-form').hidden = false;
    document.getElementById('institution-filter').addEventListener('submit', function (ev) {
      ev.preventDefault();
      load();
    });
    document.getElementById('institution-form').addEventListener('submit', add);
    G.loadDistricts('district-names');
    await load();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
