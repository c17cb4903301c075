/*
 * project.js - one project's page (/projects/ID): its record, and for
 * those who may, changing it (a company user only as its builder) and
 * closing it (the city and district bureaus).  The server answers only for
 * a project in the caller's scope.
 */
(function () {
  'use strict';
  var O = window.Opcert;
  var G = window.OpcertOrg;

  var FIELDS = [['change-name', '项目名称'], ['change-district', '所在区'], ['change-address', '地址'],
    ['change-supervisor', '监理单位'], ['change-start', '开工日期'], ['change-end', '竣工日期'], ['change-state', '项目状态']];
  var id = location.pathname.replace(/^\/projects\//, '');
  var current = null;

  function show(p) {
    current = p;
    document.getElementById('project-title').textContent = p.name;
    document.title = p.name + ' · 特种作业操作证核验';
    G.details(document.getElementById('project-details'), [
      ['项目编号', String(p.id), 'id'], ['项目名称', p.name, 'name'], ['所在区', p.district, 'district'],
      ['地址', p.address, 'address'], ['施工单位', G.companyLink(p.builder), 'builder'],
      ['监理单位', G.companyLink(p.supervisor), 'supervisor'], ['开工日期', p.start_on, 'start'],
      ['竣工日期', p.end_on, 'end'], ['状态', p.state_label, 'state']
    ]);
  }

  async function load() {
    try {
      show((await O.getJSON('/api/v1/projects/' + encodeURIComponent(id))).project);
      return true;
    } catch (e) {
      G.showError('project-error', e.status === 404 ? '没有找到这个项目，或它不在您的数据范围内。' : e.message);
      return false;
    }
  }

  function fillForm() {
    G.fillForm([['change-name', current.name], ['change-district', current.district], ['change-address', current.address],
      ['change-supervisor', current.supervisor ? current.supervisor.uscc : ''], ['change-start', current.start_on || ''],
      ['change-end', current.end_on || '']]);
    document.getElementById('change-state').value = '';
  }

  async function change(ev) {
    ev.preventDefault();
    G.showError('change-error', '');
    G.showStatus('change-done', '');
    var body = G.edited([['name', 'change-name'], ['district', 'change-district'], ['address', 'change-address'],
      ['supervisor', 'change-supervisor'], ['start', 'change-start'], ['end', 'change-end']]);
    Object.keys(body).forEach(function (k) { if (body[k] === '') body[k] = '无'; });
    if (body.name === '无') body.name = '';
    if (body.district === '无') body.district = '';
    if (body.address === '无') body.address = '';
    var state = document.getElementById('change-state').value;
    if (state) body.state = state;
    await G.saveChange('/api/v1/projects/' + encodeURIComponent(id) + '/change', body, FIELDS, load, fillForm);
  }

  async function close() {
    await G.closeRecord('关闭项目“' + current.name + '”？记录保留，但不能再修改。',
      '/api/v1/projects/' + encodeURIComponent(id) + '/close', load, ['project-change-form', 'project-close-box']);
  }

  async function init() {
    var s = await O.session();
    var r = G.role(s);
    if (!(await load())) return;
    if (current.state === 'closed') return;
    var mayChange = G.isCity(r) || r === 'district_officer';
    if (r === 'company_user') {
      var own = await G.ownCompany();
      mayChange = !!(own && current.builder && own.uscc === current.builder.uscc);
    }
    if (mayChange) {
      if (r === 'district_officer') document.getElementById('change-district').readOnly = true;
      fillForm();
      document.getElementById('project-change-form').hidden = false;
      document.getElementById('project-change-form').addEventListener('submit', change);
      G.loadDistricts('district-names');
    }
    if (G.isCity(r) || r === 'district_officer') {
      document.getElementById('project-close-box').hidden = false;
      document.getElementById('project-close').addEventListener('click', close);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
