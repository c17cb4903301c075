/*
 * project.js - one project's page (/projects/ID): its record, and for
 * those who may, changing it (a company user only as its builder) and
 * closing it (the city and district bureaus); its special-operation workers
 * (特种作业人员), registered one by one or from a roster file and marked off
 * when they leave (the city and district bureaus and the building company;
 * a supervising company and the auditor only read them).  The server
 * answers only for a project in the caller's scope.
 */
(function () {
  'use strict';
  var O = window.Opcert;
  var G = window.OpcertOrg;

  var FIELDS = [['change-name', '项目名称'], ['change-district', '所在区'], ['change-address', '地址'],
    ['change-supervisor', '监理单位'], ['change-start', '开工日期'], ['change-end', '竣工日期'], ['change-state', '项目状态']];
  var WORKER_FIELDS = [['worker-name', '姓名'], ['worker-id', '身份证号码'], ['worker-number', '证书编号'],
    ['worker-post', '岗位'], ['worker-gender', '性别']];
  var id = location.pathname.replace(/^\/projects\//, '');
  var current = null;
  var mayRegister = false;
  var mayChangeWorkers = null; /* null until the workers are shown */

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
      if (mayChangeWorkers !== null && workerAccess()) loadWorkers(); /* completed or closed just now */
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

  /* ---- the workers ------------------------------------------------------- */

  function workersUrl() {
    return '/api/v1/projects/' + encodeURIComponent(id) + '/workers';
  }

  /* a day in China of a time in seconds */
  function day(seconds) {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(seconds * 1000));
  }

  /* The number links to its register record unless it is masked (T + ID number). */
  function numberCell(number) {
    if (number === null || number === undefined || number === '') return '无';
    if (number.indexOf('*') >= 0) return number;
    return O.el('a', { href: '/certificates/' + encodeURIComponent(number), class: 'mono', text: number });
  }

  function verdictCell(w) {
    var info = O.verdictInfo(w.verdict);
    var box = O.el('span', {}, [O.el('span', { class: 'badge tone-' + info.tone, text: w.verdict_label || info.label })]);
    var more = (w.findings || []).filter(function (f) { return f !== w.verdict; })
      .map(function (f) { return O.verdictInfo(f).label; });
    if (more.length) box.appendChild(O.el('span', { class: 'hint', text: ' 另：' + more.join('、') }));
    return box;
  }

  function workerRow(w) {
    var info = O.verdictInfo(w.verdict);
    var gone = w.removed_at !== null && w.removed_at !== undefined;
    var tr = O.el('tr', { class: gone ? null : 'tone-' + info.tone, 'data-worker': String(w.id), 'data-verdict': w.verdict }, [
      G.cell('登记编号', String(w.id)),
      G.cell('姓名', w.name),
      G.cell('身份证号码', w.id_number, 'mono'),
      G.cell('证书编号', numberCell(w.number)),
      G.cell('岗位/工种', w.post),
      G.cell('核验结论', verdictCell(w)),
      G.cell('核验日期', w.checked_on),
      G.cell('状态', gone ? '已离开（' + day(w.removed_at) + '）' : '在岗', 'worker-state')
    ]);
    if (mayRegister) {
      var actions = null;
      if (!gone) {
        actions = O.el('button', { type: 'button', class: 'button small', 'aria-label': w.name + '离开项目', text: '离开项目' });
        actions.addEventListener('click', function () { removeWorker(w); });
      }
      tr.appendChild(G.cell('操作', actions));
    }
    return tr;
  }

  async function loadWorkers() {
    var all = document.getElementById('workers-all').checked;
    var tbody = document.querySelector('#workers-table tbody');
    G.showError('workers-error', '');
    try {
      var res = await O.getJSON(workersUrl() + (all ? '?all=1' : ''));
      O.clear(tbody);
      res.workers.forEach(function (w) { tbody.appendChild(workerRow(w)); });
      var active = res.workers.filter(function (w) { return w.removed_at === null || w.removed_at === undefined; }).length;
      G.showStatus('workers-count', res.workers.length === 0 ? (all ? '本项目还没有登记人员。' : '本项目目前没有在岗的登记人员。')
        : all ? '共 ' + res.workers.length + ' 人，其中在岗 ' + active + ' 人。' : '在岗 ' + active + ' 人。');
    } catch (e) {
      O.clear(tbody);
      G.showStatus('workers-count', '');
      G.showError('workers-error', e.message);
    }
  }

  async function addWorker(ev) {
    ev.preventDefault();
    G.showError('worker-error', '');
    G.showStatus('worker-done', '');
    var body = { name: G.value('worker-name'), id_number: G.value('worker-id'), number: G.value('worker-number'),
      post: G.value('worker-post'), gender: G.value('worker-gender') };
    if (!body.name || !body.id_number) {
      var missing = !body.name ? '请填写姓名。' : '请填写身份证号码。';
      G.showError('worker-error', missing);
      G.markFields(WORKER_FIELDS, missing);
      return;
    }
    await G.addRecord('worker', workersUrl(), body, WORKER_FIELDS, function (res) {
      var w = res.worker;
      return '已登记：' + w.name + '，核验结论：' + (w.verdict_label || O.verdictInfo(w.verdict).label);
    }, WORKER_FIELDS.map(function (f) { return f[0]; }), loadWorkers);
  }

  async function importWorkers(ev) {
    ev.preventDefault();
    G.showError('import-error', '');
    G.showStatus('import-done', '');
    var counts = document.getElementById('import-counts');
    O.clear(counts);
    var input = document.getElementById('worker-file');
    var file = input.files && input.files[0];
    if (!file) return G.showError('import-error', '请先选择花名册文件。');
    if (file.size === 0) return G.showError('import-error', '这个文件是空的。');
    if (file.size > 8 * 1024 * 1024) return G.showError('import-error', '文件太大（超过 8 MB），请分成几个文件上传。');
    var submit = document.getElementById('import-submit');
    submit.disabled = true;
    submit.textContent = '正在导入…';
    try {
      var res = await O.api('POST', workersUrl() + '/import', await file.arrayBuffer(), 'text/csv');
      G.showStatus('import-done', '已导入“' + file.name + '”：共 ' + res.rows + ' 行，新登记 ' + res.inserted +
        ' 人，已在项目上 ' + res.unchanged + ' 人。');
      Object.keys(res.by_verdict || {}).sort(function (a, b) { return O.severity(a) - O.severity(b); }).forEach(function (v) {
        var info = O.verdictInfo(v);
        counts.appendChild(O.el('li', { class: 'count tone-' + info.tone, 'data-verdict': v }, [
          O.el('span', { class: 'count-label', text: info.label }),
          O.el('span', { class: 'count-n', text: String(res.by_verdict[v]) })
        ]));
      });
      await loadWorkers();
    } catch (e) {
      G.showError('import-error', e.message + (e.status === 400 ? '（没有登记任何人员）' : ''));
    } finally {
      submit.disabled = false;
      submit.textContent = '导入';
    }
  }

  async function removeWorker(w) {
    if (!confirm('确认“' + w.name + '”离开本项目？登记记录保留，标明离开时间。')) return;
    G.showError('workers-error', '');
    G.showStatus('worker-remove-done', '');
    try {
      var gone = (await O.postJSON('/api/v1/workers/' + encodeURIComponent(String(w.id)) + '/remove', {})).worker;
      G.showStatus('worker-remove-done', gone.name + ' 已离开项目（登记编号 ' + gone.id + '）。');
      await loadWorkers();
    } catch (e) {
      G.showError('workers-error', e.message);
    }
  }

  /* The forms while the project is open (not completed or closed) for those who may. */
  function workerAccess() {
    var was = mayRegister;
    mayRegister = !!mayChangeWorkers && current.state !== 'closed' && current.state !== 'completed';
    ['worker-form', 'worker-import-form', 'workers-actions-head'].forEach(function (f) {
      document.getElementById(f).hidden = !mayRegister;
    });
    return was !== mayRegister;
  }

  function initWorkers(mayChange) {
    mayChangeWorkers = mayChange;
    workerAccess();
    document.getElementById('workers-box').hidden = false;
    document.getElementById('workers-all').addEventListener('change', loadWorkers);
    document.getElementById('worker-form').addEventListener('submit', addWorker);
    document.getElementById('worker-form').addEventListener('input', function (ev) {
      ev.target.removeAttribute('aria-invalid');
    });
    document.getElementById('worker-import-form').addEventListener('submit', importWorkers);
    var file = document.getElementById('worker-file');
    file.addEventListener('change', function () {
      var f = file.files && file.files[0];
      document.getElementById('worker-file-name').textContent = f ? '已选择：' + f.name : '尚未选择文件';
      G.showError('import-error', '');
    });
    return loadWorkers();
  }

  async function init() {
    var s = await O.session();
    var r = G.role(s);
    if (!(await load())) return;
    var mayChange = G.isCity(r) || r === 'district_officer';
    if (r === 'company_user') {
      var own = await G.ownCompany();
      mayChange = !!(own && current.builder && own.uscc === current.builder.uscc);
    }
    initWorkers(mayChange);
    if (current.state === 'closed') return;
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
