/*
 * audit.js - the audit trail (/audit, for the auditor and the city
 * administrator): the newest entries, filtered by account and date, and
 * the "核查" button that runs the tamper check (GET /api/v1/audit/verify).
 */
(function () {
  'use strict';
  var O = window.Opcert;

  /* src/cmd/cmd_audit.c has the same labels for the command line */
  var ACTIONS = {
    'cert.import': '导入登记表', 'cert.renew': '延期复核/复审', 'cert.suspend': '暂扣', 'cert.reinstate': '恢复',
    'cert.revoke': '注销', 'cert.amend': '更正', 'cert.photo': '照片', 'cred.issue': '签发凭证', 'config.set': '修改设置',
    'key.init': '创建密钥', 'key.rotate': '轮换签发密钥', 'id.view': '查看完整身份证号码', 'user.add': '添加账号',
    'user.login': '登录', 'user.login_failed': '登录失败', 'user.logout': '退出登录', 'user.disable': '停用账号',
    'user.enable': '启用账号', 'user.passwd': '重置密码', 'user.password_change': '修改密码',
    'user.password_change_failed': '修改密码失败', 'user.scope': '修改角色和范围', 'token.new': '创建接口令牌',
    'token.revoke': '吊销接口令牌', 'company.add': '登记单位', 'company.change': '修改单位', 'company.close': '注销单位',
    'project.add': '登记项目', 'project.change': '修改项目', 'project.close': '关闭项目',
    'institution.add': '登记培训机构', 'institution.change': '修改培训机构', 'institution.close': '注销培训机构',
    'probe.refused': '拒绝可疑核对', 'probe.clear': '清除核对记录'
  };

  function showError(message) {
    var e = document.getElementById('audit-error');
    e.textContent = message || '';
    e.hidden = !message;
  }

  function cell(label, text, cls) {
    return O.el('td', { 'data-label': label, class: cls || null, text: text === '' || text === null ? '—' : String(text) });
  }

  function row(e) {
    var tr = O.el('tr', { 'data-seq': String(e.seq) });
    tr.appendChild(cell('序号', e.seq));
    tr.appendChild(cell('时间', e.time));
    tr.appendChild(cell('账号', e.login, 'mono'));
    tr.appendChild(cell('角色', e.role_label));
    tr.appendChild(cell('地址', e.addr, 'mono'));
    tr.appendChild(cell('操作', ACTIONS[e.action] ? ACTIONS[e.action] + '（' + e.action + '）' : e.action));
    tr.appendChild(cell('对象', e.object, 'mono'));
    tr.appendChild(cell('详情', e.detail === null ? '' : JSON.stringify(e.detail), 'mono detail'));
    return tr;
  }

  async function load() {
    showError('');
    var q = [['user', document.getElementById('audit-user').value.trim()],
      ['since', document.getElementById('audit-since').value.trim()],
      ['limit', document.getElementById('audit-limit').value]]
      .filter(function (p) { return p[1]; })
      .map(function (p) { return p[0] + '=' + encodeURIComponent(p[1]); }).join('&');
    try {
      var res = await O.getJSON('/api/v1/audit?' + q);
      var tbody = document.querySelector('#audit-table tbody');
      O.clear(tbody);
      res.entries.forEach(function (e) { tbody.appendChild(row(e)); });
      document.getElementById('audit-count').textContent = '符合条件的共 ' + res.total + ' 条' +
        (res.truncated ? '，显示最新的 ' + res.entries.length + ' 条' : '');
    } catch (e) {
      showError(e.message);
    }
  }

  async function verify() {
    var box = document.getElementById('audit-verify-result');
    var button = document.getElementById('audit-verify');
    button.disabled = true;
    O.showVerdict(box, { verdict: 'pending', label: '正在核查…', title: '核查结果' });
    try {
      var r = await O.getJSON('/api/v1/audit/verify');
      var details = [
        ['审计记录', r.entries + ' 条' + (r.head_seq ? '，最新为第 ' + r.head_seq + ' 条' : '')],
        ['透明日志', r.log_entries + ' 条，其中审计记录锚点 ' + r.anchors + ' 个'],
        ['签名检查点', !r.checkpoint ? '无可用的检查点' : '记录日志 ' + r.checkpoint_size + ' 条' +
          (r.checkpoint_signed ? '，签名有效' : '（未核对签名：服务器没有日志密钥）')],
        ['锚点确认', r.anchored_seq ? '第 1 至 ' + r.anchored_seq + ' 条' : '尚无锚点']
      ];
      var list = null;
      if (r.findings.length) {
        list = O.el('ul', { id: 'audit-findings', class: 'actions' });
        r.findings.forEach(function (f) {
          list.appendChild(O.el('li', { 'data-kind': f.kind, text: '［' + f.label + '］' + f.message }));
        });
        if (r.truncated) list.appendChild(O.el('li', { text: '（只列出了前 ' + r.findings.length + ' 个）' }));
      }
      O.showVerdict(box, {
        verdict: r.ok ? 'valid' : 'tampered',
        title: '核查结果',
        label: r.ok ? '未发现问题' : '发现 ' + r.problems + ' 个问题',
        advice: r.ok ? '哈希链完整，与透明日志中的锚点一致。' : '审计记录被改动过：请立即报告市住建局，并保全数据库和透明日志。',
        details: details,
        extra: list
      });
    } catch (e) {
      O.showError(box, e.message);
    } finally {
      button.disabled = false;
    }
  }

  function init() {
    document.getElementById('audit-filter').addEventListener('submit', function (ev) {
      ev.preventDefault();
      load();
    });
    document.getElementById('audit-verify').addEventListener('click', verify);
    load();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
