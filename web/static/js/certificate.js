/*
 * certificate.js - one register record (/certificates/NUMBER): masked by
 * default; roles that may see full ID numbers get a button that asks for
 * them (the server records each such view in the audit trail).  The city
 * roles always may; a district officer or a company user only for a holder
 * registered with that ID number on a running project of their district, or
 * built by their company (worker.h): the server decides and refuses the rest.
 */
(function () {
  'use strict';
  var O = window.Opcert;
  var LABELS = [
    ['number', '证书编号'], ['system', '证书体系'], ['name', '姓名'], ['gender', '性别'],
    ['id_number', '身份证号码'], ['trade', '工种代码'], ['issuer', '发证机关'],
    ['issued_on', '发证日期'], ['valid_until', '有效期至'], ['review_due', '复审日期'],
    ['status', '状态'], ['training_institution', '培训机构']
  ];
  var SYSTEMS = { construction: '住房城乡建设', emergency: '应急管理' };
  var STATUS = { valid: '有效', suspended: '暂扣', revoked: '注销/吊销' };
  var FULL_ROLES = ['city_admin', 'city_officer', 'district_officer', 'company_user'];
  var refused = false;
  var REFUSED = '只有本区项目或本单位施工项目上登记的人员，才能查看完整身份证号码（人员须仍在项目上，登记时所填身份证号码须与登记库一致，项目未竣工或关闭）。';

  function show(rec) {
    var dl = document.getElementById('cert-fields');
    dl.textContent = '';
    LABELS.forEach(function (l) {
      var v = rec[l[0]];
      if (l[0] === 'system') v = SYSTEMS[v] || v;
      if (l[0] === 'status') v = STATUS[v] || v;
      dl.appendChild(O.el('div', {}, [O.el('dt', { text: l[1] }),
        O.el('dd', { text: v === null || v === '' ? '—' : String(v) })]));
    });
    document.getElementById('cert-card').hidden = false;
  }

  async function load(number, full) {
    var error = document.getElementById('cert-error');
    error.hidden = true;
    try {
      var d = await O.getJSON('/api/v1/certificates/' + encodeURIComponent(number) + (full ? '?full_id=1' : ''));
      show(d.certificate);
      return d;
    } catch (e) {
      refused = full && e.status === 403;
      error.textContent = refused ? REFUSED : e.message;
      error.hidden = false;
      return null;
    }
  }

  async function init() {
    var number = decodeURIComponent(location.pathname.replace(/^\/certificates\//, ''));
    var button = document.getElementById('cert-full');
    document.getElementById('cert-title').textContent = '证书登记记录';
    await load(number, false);
    try {
      var s = await O.getJSON('/api/v1/session');
      if (s.principal && FULL_ROLES.indexOf(s.principal.role) >= 0) button.hidden = false;
    } catch (e) { /* not signed in: the page itself redirected already */ }
    button.addEventListener('click', async function () {
      var d = await load(number, true);
      if (d || refused) button.hidden = true;
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
