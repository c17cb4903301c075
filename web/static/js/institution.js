/*
 * institution.js - one training institution's page (/institutions/ID): its
 * record, and for the city changing its details and closing it.  The
 * server answers only for an institution in the caller's scope (another
 * one's page is the not-found page).
 */
(function () {
  'use strict';
  var O = window.Opcert;
  var G = window.OpcertOrg;

  var FIELDS = [['change-name', '名称'], ['change-district', '所在区'], ['change-contact', '联系人'],
    ['change-phone', '联系电话']];
  var id = decodeURIComponent(location.pathname.replace(/^\/institutions\//, ''));
  var current = null;

  function show(res) {
    var i = res.institution;
    current = i;
    document.getElementById('institution-title').textContent = i.name;
    document.title = i.name + ' · 特种作业操作证核验';
    G.details(document.getElementById('institution-details'), [
      ['机构名称', i.name, 'name'], ['所在区', i.district, 'district'], ['联系人', i.contact, 'contact'],
      ['联系电话', i.phone, 'phone'], ['状态', i.closed ? '已注销' : '正常', 'state']
    ]);
  }

  async function load() {
    try {
      show(await O.getJSON('/api/v1/institutions/' + encodeURIComponent(id)));
      return true;
    } catch (e) {
      G.showError('institution-error', e.status === 404 ? '没有找到这个培训机构，或它不在您的数据范围内。' : e.message);
      return false;
    }
  }

  function fillForm() {
    G.fillForm([['change-name', current.name], ['change-district', current.district || ''],
      ['change-contact', current.contact], ['change-phone', current.phone]]);
  }

  async function change(ev) {
    ev.preventDefault();
    G.showError('change-error', '');
    G.showStatus('change-done', '');
    var body = G.edited([['name', 'change-name'], ['district', 'change-district'], ['contact', 'change-contact'],
      ['phone', 'change-phone']]);
    await G.saveChange('/api/v1/institutions/' + encodeURIComponent(id) + '/change', body, FIELDS, load, fillForm);
  }

  async function close() {
    await G.closeRecord('注销培训机构“' + current.name + '”？记录保留，但不能再修改。',
      '/api/v1/institutions/' + encodeURIComponent(id) + '/close', load,
      ['institution-change-form', 'institution-close-box']);
  }

  async function init() {
    var s = await O.session();
    var r = G.role(s);
    if (!(await load())) return;
    if (current.closed || !G.isCity(r)) return;
    fillForm();
    document.getElementById('institution-change-form').hidden = false;
    document.getElementById('institution-change-form').addEventListener('submit', change);
    G.loadDistricts('district-names');
    document.getElementById('institution-close-box').hidden = false;
    document.getElementById('institution-close').addEventListener('click', close);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
