/*
 * projects.js - the projects page (/projects): the projects in the
 * caller's scope (a company's: those it builds or supervises), and the
 * form to register one (city and district bureaus; a company user for its
 * own company as the builder).
 */
(function () {
  'use strict';
  var O = window.Opcert;
  var G = window.OpcertOrg;

  var FIELDS = [['project-name', '项目名称'], ['project-district', '所在区'], ['project-address', '地址'],
    ['project-builder', '施工单位'], ['project-supervisor', '监理单位'], ['project-start', '开工日期'],
    ['project-end', '竣工日期']];

  function row(p) {
    var tr = O.el('tr', { 'data-id': String(p.id), class: p.state === 'closed' ? 'tone-warn' : null });
    tr.appendChild(G.cell('项目名称', O.el('a', { href: '/projects/' + p.id, text: p.name })));
    tr.appendChild(G.cell('所在区', p.district));
    tr.appendChild(G.cell('施工单位', p.builder ? p.builder.name : ''));
    tr.appendChild(G.cell('监理单位', p.supervisor ? p.supervisor.name : ''));
    tr.appendChild(G.cell('状态', p.state_label));
    return tr;
  }

  async function load() {
    await G.loadList('projects', '/api/v1/projects' + G.query([['district', G.value('filter-district')],
        ['company', G.value('filter-company')], ['closed', document.getElementById('filter-closed').checked ? '1' : '']]), row, '个');
  }

  async function add(ev) {
    ev.preventDefault();
    var body = {};
    [['name', 'project-name'], ['district', 'project-district'], ['address', 'project-address'], ['builder', 'project-builder'],
      ['supervisor', 'project-supervisor'], ['start', 'project-start'], ['end', 'project-end']].forEach(function (f) {
      var v = G.value(f[1]);
      if (v) body[f[0]] = v;
    });
    await G.addRecord('project', '/api/v1/projects', body, FIELDS,
      function (res) { return '已登记项目 ' + res.project.id + '：' + res.project.name; },
      ['project-name', 'project-address', 'project-supervisor', 'project-start', 'project-end'], load);
  }

  async function init() {
    var s = await O.session();
    var r = G.role(s);
    if (r === 'district_officer') {
      document.getElementById('scope-note').textContent = '本区（' + s.principal.org_name + '）的项目。点击项目名称查看详情。';
      var d = document.getElementById('project-district');
      d.value = s.principal.org_name;
      d.readOnly = true;
    } else if (r === 'company_user') {
      document.getElementById('scope-note').textContent = '本单位施工或监理的项目。点击项目名称查看详情。';
      var own = await G.ownCompany();
      if (own) {
        var b = document.getElementById('project-builder');
        b.value = own.uscc;
        b.readOnly = true;
      }
    }
    if (G.isCity(r) || r === 'district_officer' || r === 'company_user') document.getElementById('project-form').hidden = false;
    document.getElementById('project-filter').addEventListener('submit', function (ev) {
      ev.preventDefault();
      load();
    });
    document.getElementById('project-form').addEventListener('submit', add);
    G.loadDistricts('district-names');
    await load();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
