/*
 * accounts.js - account management for the city administrator
 * (/accounts): the list, creating an account, disabling and enabling it,
 * resetting its password and changing its role and scope.  A one-time
 * password is shown once, in the page, and kept nowhere.
 */
(function () {
  'use strict';
  var O = window.Opcert;

  var ROLES = [
    { code: 'city_admin', label: '市住建局管理员', scope: null },
    { code: 'city_officer', label: '市住建局工作人员', scope: null },
    { code: 'district_officer', label: '区住建局工作人员', scope: '所属区（市、县）', hint: '如 云岩区' },
    { code: 'company_user', label: '企业用户', scope: '单位的统一社会信用代码', hint: '18 位，如 91520100MA6DXXXXXX' },
    { code: 'training_user', label: '培训机构用户', scope: '培训机构名称', hint: '与系统中登记的名称一致' },
    { code: 'auditor', label: '审计员', scope: null }
  ];

  function roleInfo(code) {
    return ROLES.find(function (r) { return r.code === code; }) || ROLES[0];
  }

  function showOtp(login, otp) {
    document.getElementById('otp-login').textContent = login;
    document.getElementById('otp-value').textContent = otp;
    var box = document.getElementById('otp-box');
    box.hidden = false;
    box.scrollIntoView({ block: 'nearest' });
  }

  function showError(id, message) {
    var e = document.getElementById(id);
    e.textContent = message;
    e.hidden = !message;
  }

  function fillRoles(select) {
    ROLES.forEach(function (r) {
      select.appendChild(O.el('option', { value: r.code, text: r.label }));
    });
  }

  function syncScope() {
    var r = roleInfo(document.getElementById('acct-role').value);
    var field = document.getElementById('acct-scope-field');
    field.hidden = !r.scope;
    document.getElementById('acct-scope-label').textContent = r.scope || '范围';
    document.getElementById('acct-scope-hint').textContent = r.hint || '';
  }

  async function act(login, what, body) {
    showError('accounts-error', '');
    try {
      var res = await O.postJSON('/api/v1/accounts/' + encodeURIComponent(login) + '/' + what, body || {});
      if (res.one_time_password) showOtp(login, res.one_time_password);
      await load();
    } catch (e) {
      showError('accounts-error', e.message);
    }
  }

  function scopeEditor(a) {
    var form = O.el('form', { class: 'inline-form' });
    var select = O.el('select', { 'aria-label': a.login + ' 的角色' });
    fillRoles(select);
    select.value = a.role;
    var scope = O.el('input', { type: 'text', 'aria-label': a.login + ' 的范围', value: a.org_name || '', maxlength: '200', list: 'district-names' });
    var save = O.el('button', { type: 'submit', class: 'button small', text: '保存角色' });
    form.appendChild(select);
    form.appendChild(scope);
    form.appendChild(save);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      act(a.login, 'scope', { role: select.value, scope: scope.value.trim() });
    });
    return form;
  }

  function row(a, me) {
    var tr = O.el('tr', { 'data-login': a.login });
    tr.appendChild(O.el('td', { 'data-label': '用户名', class: 'mono', text: a.login }));
    tr.appendChild(O.el('td', { 'data-label': '角色', text: a.role_label }));
    tr.appendChild(O.el('td', { 'data-label': '范围', text: a.org_name || '—' }));
    tr.appendChild(O.el('td', { 'data-label': '状态', text: a.disabled ? '已停用' : a.must_change ? '待修改初始密码' : '正常' }));
    var ops = O.el('td', { 'data-label': '操作', class: 'ops' });
    if (a.login !== me) {
      var toggle = O.el('button', { type: 'button', class: 'button small', text: a.disabled ? '启用' : '停用' });
      toggle.addEventListener('click', function () {
        if (a.disabled || confirm('停用账号 ' + a.login + '？其登录会话和接口令牌将立即失效。')) act(a.login, a.disabled ? 'enable' : 'disable');
      });
      ops.appendChild(toggle);
    }
    var reset = O.el('button', { type: 'button', class: 'button small', text: '重置密码' });
    reset.addEventListener('click', function () {
      if (confirm('为 ' + a.login + ' 生成新的初始密码？原密码将失效。')) act(a.login, 'reset-password');
    });
    ops.appendChild(reset);
    if (a.login !== me) ops.appendChild(scopeEditor(a));
    tr.appendChild(ops);
    return tr;
  }

  async function load() {
    var s = await O.session();
    var tbody = document.querySelector('#accounts-table tbody');
    try {
      var res = await O.getJSON('/api/v1/accounts');
      O.clear(tbody);
      res.accounts.forEach(function (a) {
        tbody.appendChild(row(a, s && s.principal ? s.principal.login : ''));
      });
    } catch (e) {
      showError('accounts-error', e.message);
    }
  }

  async function loadDistricts() {
    try {
      var d = await O.getJSON('/api/v1/districts');
      var list = document.getElementById('district-names');
      d.districts.forEach(function (n) { list.appendChild(O.el('option', { value: n })); });
    } catch (e) {
      /* only a help for typing */
    }
  }

  function init() {
    var select = document.getElementById('acct-role');
    fillRoles(select);
    select.value = 'district_officer';
    select.addEventListener('change', syncScope);
    syncScope();
    document.getElementById('account-form').addEventListener('submit', async function (ev) {
      ev.preventDefault();
      showError('account-error', '');
      var login = document.getElementById('acct-login').value.trim();
      var role = select.value;
      var body = { login: login, role: role };
      if (roleInfo(role).scope) body.scope = document.getElementById('acct-scope').value.trim();
      if (!login) {
        showError('account-error', '请填写用户名。');
        return;
      }
      var button = document.getElementById('account-submit');
      button.disabled = true;
      try {
        var res = await O.postJSON('/api/v1/accounts', body);
        showOtp(res.account.login, res.one_time_password);
        document.getElementById('account-form').reset();
        select.value = 'district_officer';
        syncScope();
        await load();
      } catch (e) {
        showError('account-error', e.message);
      } finally {
        button.disabled = false;
      }
    });
    loadDistricts();
    load();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
