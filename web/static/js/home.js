/*
 * home.js - the home page (/home): what the signed-in role can do, with
 * links.  The server decides what each role may use (src/http/routes.c); this
 * list only shows the way there.
 */
(function () {
  'use strict';
  var O = window.Opcert;

  var COMMON = [
    { href: '/', text: '证书查询', note: '按编号和姓名查一本证书' },
    { href: '/scan', text: '扫码核验', note: '扫描证书上的二维码，识别伪造和假网站' }
  ];
  var BATCH = { href: '/batch', text: '批量核验', note: '上传项目花名册，逐人核验证书' };
  var PASSWORD = { href: '/password', text: '修改密码', note: '' };
  var COMPANIES = { href: '/companies', text: '单位', note: '施工和监理单位：登记、修改、注销' };
  var PROJECTS = { href: '/projects', text: '项目', note: '在建项目：登记、修改、关闭' };
  var INSTITUTIONS = { href: '/institutions', text: '培训机构', note: '特种作业培训机构：登记、修改、注销' };
  var AUDIT = { href: '/audit', text: '审计记录', note: '谁在何时做了什么；核查记录是否被篡改' };
  var PROBES = { href: '/probes', text: '可疑核对', note: '谁在反复试填身份证号码；管理员可清除' };

  function actionsFor(p) {
    var a = COMMON.slice();
    switch (p.role) {
      case 'city_admin':
        a.push(BATCH, COMPANIES, PROJECTS, INSTITUTIONS, { href: '/accounts', text: '账号管理', note: '创建账号、停用、重置密码、分配角色和范围' },
          AUDIT, PROBES, { districts: true, text: '各区数据', note: '查看 14 个区（市、县）的数据' });
        break;
      case 'city_officer':
        a.push(BATCH, COMPANIES, PROJECTS, INSTITUTIONS, PROBES, { districts: true, text: '各区数据', note: '查看 14 个区（市、县）的数据' });
        break;
      case 'district_officer':
        a.push(BATCH, { href: '/companies', text: '本区单位', note: p.org_name + '的施工和监理单位' },
          { href: '/projects', text: '本区项目', note: p.org_name + '的在建项目' },
          { href: '/institutions', text: '本区培训机构', note: p.org_name + '的培训机构' },
          { href: '/districts/' + encodeURIComponent(p.org_name), text: p.org_name + '数据', note: '本区（市、县）的账号' });
        break;
      case 'company_user':
        a.push(BATCH, { href: '/companies', text: '本单位', note: '登记信息和联系人' },
          { href: '/projects', text: '本单位项目', note: '本单位施工或监理的项目；登记新项目' });
        break;
      case 'training_user':
        a[0] = { href: '/', text: '证书查询', note: '受理复审或延期前先核验证书真伪' };
        a.push({ ownInstitution: true, href: '/institutions', text: '本机构', note: '本机构的登记信息' });
        break;
      case 'auditor':
        a.push(AUDIT, { href: '/companies', text: '单位', note: '只读' }, { href: '/projects', text: '项目', note: '只读' },
          { href: '/institutions', text: '培训机构', note: '只读' },
          { districts: true, text: '各区数据', note: '只读：查看各区数据（不含完整身份证号码）' });
        break;
    }
    a.push(PASSWORD);
    return a;
  }

  function item(a) {
    var li = O.el('li', {}, [O.el('a', { href: a.href, text: a.text })]);
    if (a.note) li.appendChild(O.el('span', { class: 'hint', text: '：' + a.note }));
    return li;
  }

  function certForm() {
    var form = document.getElementById('home-cert');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var n = document.getElementById('home-cert-number').value.trim().toUpperCase();
      if (n) location.assign('/certificates/' + encodeURIComponent(n));
    });
  }

  async function init() {
    certForm();
    var s = await O.session();
    var who = document.getElementById('home-who');
    var list = document.getElementById('home-actions');
    if (!s || !s.signed_in) {
      location.assign('/login?next=/home');
      return;
    }
    var p = s.principal;
    who.textContent = p.login + '，您好。您的角色：' + p.role_label + (p.org_name ? '（' + p.org_name + '）' : '') + '。';
    document.body.setAttribute('data-role', p.role);
    for (var a of actionsFor(p)) {
      if (a.ownInstitution) {
        /* Straight to its page when the list (which holds only its own) names it. */
        try {
          var own = await O.getJSON('/api/v1/institutions');
          if (own.institutions.length === 1) a.href = '/institutions/' + encodeURIComponent(String(own.institutions[0].id));
        } catch (e) {
          /* the list page then */
        }
      }
      if (!a.districts) {
        list.appendChild(item(a));
        continue;
      }
      var li = O.el('li', {}, [O.el('span', { text: a.text + '：' })]);
      try {
        var d = await O.getJSON('/api/v1/districts');
        d.districts.forEach(function (name, i) {
          if (i) li.appendChild(document.createTextNode('、'));
          li.appendChild(O.el('a', { href: '/districts/' + encodeURIComponent(name), text: name }));
        });
      } catch (e) {
        li.appendChild(O.el('span', { class: 'error', text: e.message }));
      }
      list.appendChild(li);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
