// Browser tests of the workers on a project's page (web/project.html) and of
// the full ID number on a register record (web/certificate.html): Debian's
// Chromium against `opcert serve`.  A user of the demo's building company
// opens its project in 云岩区, registers a worker with their register row
// (有效) and one whose name differs (信息不符), imports a small roster (the
// counts), and a roster with a bad ID number (an error naming the line and
// the column, and nobody added); marks a worker off the project (shown as
// 已离开 only with the checkbox); then sees the full ID number of the worker
// it registered, while a district officer of another district is refused.
// A user of the supervising company reads the table without the forms, and
// once the project is completed its builder does too (and sees no more full
// ID numbers).
'use strict';

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const H = require('./harness');

let fx;
let browser;
let current;
let project;
let people;

async function fresh() {
  current = await H.openPage(browser.context, fx.base);
  return current.page;
}

function cli(args, input) {
  return H.cli(fx, args, input);
}

/* A valid ID number (GB 11643-1999) from its first 17 digits. */
function idNumber(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * weights[i];
  return first17 + '10X98765432'[s % 11];
}

function workersOnProject(all) {
  return JSON.parse(cli(['worker', 'list', '--project', String(project.id), '--json'].concat(all ? ['--all'] : [])));
}

async function openProject(page) {
  await page.goto(fx.base + '/projects/' + project.id);
  await page.locator('#project-details dd[data-field="name"]').waitFor();
  await page.locator('#workers-box:not([hidden])').waitFor();
  await page.locator('#workers-count:not(:empty)').waitFor();
}

function row(page, name) {
  return page.locator('#workers-table tbody tr', { has: page.locator('td[data-label="姓名"]', { hasText: name }) });
}

describe('workers on a project', () => {
  before(async () => {
    fx = await H.setup();
    browser = await H.launch();
    const companies = JSON.parse(cli(['company', 'list', '--json']));
    const builder = companies.find((c) => c.name === '贵阳示例建设工程有限公司');
    const supervisor = companies.find((c) => c.name === '筑城示例工程监理有限公司');
    assert.ok(builder && supervisor, 'the demo has its builder and supervisor companies');
    project = JSON.parse(cli(['project', 'list', '--json'])).find((p) => p.district === '云岩区' &&
      p.builder && p.builder.uscc === builder.uscc && p.supervisor && p.supervisor.uscc === supervisor.uscc &&
      p.state === 'active');
    assert.ok(project, "the demo builder has a running project in 云岩区 that the demo supervisor supervises");
    for (const [login, role, scope] of [['w.builder', 'company_user', ['--company', builder.uscc]],
      ['w.super', 'company_user', ['--company', supervisor.uscc]],
      ['w.nanming', 'district_officer', ['--district', '南明区']]]) {
      cli(['user', 'add', login, '--role', role].concat(scope, ['--password-stdin']), fx.accounts.password + '\n');
    }

    // register rows that verify as valid today, with their ID numbers
    const rows = fs.readFileSync(path.join(fx.dir, 'demo', 'register.csv'), 'utf8').replace(/^\uFEFF/, '')
      .split(/\r?\n/).filter(Boolean).slice(1).map((l) => l.split(','));
    const valid = [];
    for (const r of rows) {
      if (!/^黔A/.test(r[0]) || r[9] !== '有效' || r[0] === fx.valid.number) continue;
      const v = H.opcertJson(['verify', '--number', r[0], '--name', r[1], '--id', r[3], '--format', 'json',
        '--today', fx.today, '--db', path.join(fx.dir, 'opcert.db')]);
      if (v.verdict === 'valid') valid.push({ number: r[0], name: r[1], gender: r[2], id: r[3], trade: r[4] });
      if (valid.length === 4) break;
    }
    assert.equal(valid.length, 4, 'four valid construction certificates in the demo register');
    people = {
      valid: valid[0],
      misnamed: Object.assign({}, valid[1], { claimed: valid[1].name === '张冒名' ? '李冒名' : '张冒名' }),
      imported: [valid[2], valid[3]],
      uncertified: { name: '王无证', gender: '男', id: idNumber('52010319900101123') }
    };
  });

  after(() => H.teardown(browser, fx));

  afterEach(async () => {
    const c = current;
    current = null;
    await H.endPage(c, fx, true);
  });

  it('lets the building company register its workers, import a roster and mark one off', async () => {
    const page = await fresh();
    await H.signIn(page, fx.base, 'w.builder', fx.accounts.password);
    await openProject(page);
    assert.equal(await page.locator('#project-title').textContent(), project.name);
    assert.match(await page.locator('#workers-count').textContent(), /没有在岗/, 'nobody registered yet');
    assert.ok(await page.locator('#worker-form').isVisible(), 'the builder may register');
    assert.ok(await page.locator('#worker-import-form').isVisible(), 'and import a roster');

    // a worker with their register row: 有效
    const v = people.valid;
    await page.locator('#worker-name').fill(v.name);
    await page.locator('#worker-id').fill(v.id);
    await page.locator('#worker-number').fill(v.number);
    await page.locator('#worker-submit').click();
    await row(page, v.name).waitFor();
    assert.equal(await page.locator('#worker-done').textContent(), `已登记：${v.name}，核验结论：有效`);
    const r1 = row(page, v.name);
    assert.equal(await r1.locator('td[data-label="核验结论"] .badge').textContent(), '有效');
    assert.match(await r1.locator('td[data-label="核验结论"] .badge').getAttribute('class'), /tone-ok/);
    assert.equal(await r1.locator('td[data-label="状态"]').textContent(), '在岗');
    assert.equal(await r1.locator('td[data-label="核验日期"]').textContent(), fx.today);
    assert.equal(await r1.locator('td[data-label="身份证号码"]').textContent(), v.id.slice(0, 6) + '********' + v.id.slice(14),
      'the ID number masked');
    assert.equal(await r1.locator('td[data-label="证书编号"] a').getAttribute('href'), '/certificates/' + encodeURIComponent(v.number));
    assert.ok(!(await page.content()).includes(v.id), 'the full ID number is not on the page');
    assert.equal(await page.locator('#worker-name').inputValue(), '', 'the form is emptied');

    // a name that differs from the register: 信息不符
    const m = people.misnamed;
    await page.locator('#worker-name').fill(m.claimed);
    await page.locator('#worker-id').fill(m.id);
    await page.locator('#worker-number').fill(m.number);
    await page.locator('#worker-post').fill('3号塔吊');
    await page.locator('#worker-submit').click();
    await row(page, m.claimed).waitFor();
    assert.equal(await page.locator('#worker-done').textContent(), `已登记：${m.claimed}，核验结论：信息不符`);
    assert.equal(await row(page, m.claimed).locator('td[data-label="核验结论"] .badge').textContent(), '信息不符');
    const post = workersOnProject().find((w) => w.name === m.claimed).post;
    assert.ok(post, 'the post is kept');
    assert.equal(await row(page, m.claimed).locator('td[data-label="岗位/工种"]').textContent(), post);

    // a missing ID number is pointed out in the form, and nothing is sent
    await page.locator('#worker-name').fill('缺号码');
    await page.locator('#worker-submit').click();
    await page.locator('#worker-error:not([hidden])').waitFor();
    assert.match(await page.locator('#worker-error').textContent(), /身份证号码/);
    assert.equal(await page.locator('#worker-id').getAttribute('aria-invalid'), 'true');
    await page.locator('#worker-name').fill('');
    assert.equal(workersOnProject().length, 2, 'two registered');

    // a roster with a bad ID number: the line and the column, and nobody added
    const header = '姓名,性别,身份证号码,工种,证书编号\n';
    const lines = people.imported.map((p) => [p.name, p.gender, p.id, p.trade, p.number].join(','))
      .concat([[people.uncertified.name, people.uncertified.gender, people.uncertified.id, '01', ''].join(',')]);
    const bad = lines.slice();
    const u = people.uncertified.id;
    bad[2] = bad[2].replace(u, u.slice(0, 17) + (u[17] === '1' ? '2' : '1'));
    const badFile = path.join(fx.dir, 'bad-roster.csv');
    fs.writeFileSync(badFile, '\uFEFF' + header + bad.join('\n') + '\n');
    await page.locator('#worker-file').setInputFiles(badFile);
    assert.match(await page.locator('#worker-file-name').textContent(), /bad-roster\.csv/);
    await page.locator('#import-submit').click();
    await page.locator('#import-error:not([hidden])').waitFor();
    const err = await page.locator('#import-error').textContent();
    assert.match(err, /4/, 'the line (the header is line 1)');
    assert.match(err, /身份证号码/, 'the column');
    assert.equal(await page.locator('#import-done').textContent(), '');
    assert.equal(workersOnProject().length, 2, 'nothing added');
    assert.equal(await page.locator('#workers-table tbody tr').count(), 2);
    await H.screenshot(page, 'workers-import-error');

    // the right roster: the counts
    const goodFile = path.join(fx.dir, 'roster.csv');
    fs.writeFileSync(goodFile, '\uFEFF' + header + lines.join('\n') + '\n');
    await page.locator('#worker-file').setInputFiles(goodFile);
    await page.locator('#import-submit').click();
    await page.locator('#import-done:not(:empty)').waitFor();
    assert.equal(await page.locator('#import-error').isVisible(), false);
    assert.match(await page.locator('#import-done').textContent(), /共 3 行，新登记 3 人，已在项目上 0 人/);
    assert.equal(await page.locator('#import-counts li[data-verdict="valid"] .count-n').textContent(), '2');
    assert.equal(await page.locator('#import-counts li[data-verdict="uncertified"] .count-n').textContent(), '1');
    await row(page, people.uncertified.name).waitFor();
    assert.equal(await page.locator('#workers-table tbody tr').count(), 5);
    assert.equal(await row(page, people.uncertified.name).locator('td[data-label="核验结论"] .badge').textContent(), '无证');
    assert.equal(await row(page, people.uncertified.name).locator('td[data-label="证书编号"]').textContent(), '无');
    await H.screenshot(page, 'workers-builder');

    // the misnamed one leaves: gone from the list, 已离开 with the checkbox
    page.once('dialog', (d) => d.accept());
    await row(page, m.claimed).locator('button', { hasText: '离开项目' }).click();
    await page.locator('#worker-remove-done:not(:empty)').waitFor();
    await row(page, m.claimed).waitFor({ state: 'detached' });
    assert.equal(await page.locator('#workers-table tbody tr').count(), 4);
    const states = await page.locator('#workers-table tbody td[data-label="状态"]').allTextContents();
    assert.deepEqual([...new Set(states)], ['在岗']);
    await page.locator('#workers-all').check();
    await row(page, m.claimed).waitFor();
    assert.equal(await page.locator('#workers-table tbody tr').count(), 5);
    assert.match(await row(page, m.claimed).locator('td[data-label="状态"]').textContent(), /^已离开/);
    assert.equal(await row(page, m.claimed).locator('button').count(), 0, 'no button for one who left');
    assert.equal(workersOnProject().length, 4, 'the server agrees');
    assert.equal(workersOnProject(true).filter((w) => w.removed_at !== null).length, 1);
  });

  it('shows the building company the full ID number of a worker it registered', async () => {
    const v = people.valid;
    const page = await fresh();
    await H.signIn(page, fx.base, 'w.builder', fx.accounts.password);
    await openProject(page);
    await Promise.all([page.waitForURL(/\/certificates\/.+/), row(page, v.name).locator('td[data-label="证书编号"] a').click()]);
    const fields = page.locator('#cert-fields');
    await fields.locator('dd').first().waitFor();
    assert.ok(!(await fields.textContent()).includes(v.id), 'masked at first');
    await page.locator('#cert-full:not([hidden])').click();
    await page.locator('#cert-full[hidden]').waitFor({ state: 'attached' });
    assert.ok((await fields.textContent()).includes(v.id), 'the full ID number');
    assert.equal(await page.locator('#cert-error').isVisible(), false);
    await H.screenshot(page, 'workers-full-id');
    const views = JSON.parse(cli(['audit', 'list', '--json', '--user', 'w.builder'])).filter((e) => e.action === 'id.view');
    assert.equal(views.length, 1, 'the view is in the audit trail');
  });

  it('refuses the full ID number to a district officer of another district', async () => {
    const v = people.valid;
    const page = await fresh();
    await H.signIn(page, fx.base, 'w.nanming', fx.accounts.password);
    await page.goto(fx.base + '/certificates/' + encodeURIComponent(v.number));
    const fields = page.locator('#cert-fields');
    await fields.locator('dd').first().waitFor();
    await page.locator('#cert-full:not([hidden])').click();
    await page.locator('#cert-error:not([hidden])').waitFor();
    assert.match(await page.locator('#cert-error').textContent(), /^只有本区项目或本单位施工项目上登记的人员，才能查看完整身份证号码/);
    assert.ok(!(await fields.textContent()).includes(v.id), 'still masked');
    assert.ok(await page.locator('#cert-card').isVisible(), 'the masked record stays');
    await H.screenshot(page, 'workers-full-id-refused');
    // and their project page is not there for them
    const res = await page.goto(fx.base + '/projects/' + project.id);
    assert.equal(res.status(), 404);
  });

  it('lets the supervising company read the workers, without the forms', async () => {
    const page = await fresh();
    await H.signIn(page, fx.base, 'w.super', fx.accounts.password);
    await openProject(page);
    await row(page, people.valid.name).waitFor();
    assert.equal(await page.locator('#workers-table tbody tr').count(), 4);
    assert.equal(await page.locator('#worker-form').isVisible(), false, 'no registration form');
    assert.equal(await page.locator('#worker-import-form').isVisible(), false, 'no import');
    assert.equal(await page.locator('#workers-table button').count(), 0, 'no 离开项目 buttons');
    assert.equal(await page.locator('#workers-actions-head').isVisible(), false);
    await page.locator('#workers-all').check();
    await row(page, people.misnamed.claimed).waitFor();
    await H.screenshot(page, 'workers-supervisor');
    const res = await page.request.post(fx.base + '/api/v1/projects/' + project.id + '/workers', {
      headers: { 'X-CSRF-Token': (await (await page.request.get(fx.base + '/api/v1/session')).json()).csrf },
      data: { name: people.uncertified.name, id_number: people.uncertified.id }
    });
    assert.equal(res.status(), 403, 'the server refuses it too');
  });

  it('keeps the workers of a completed project, read only', async () => {
    cli(['project', 'change', String(project.id), '--state', 'completed']);
    const page = await fresh();
    await H.signIn(page, fx.base, 'w.builder', fx.accounts.password);
    await openProject(page);
    await row(page, people.valid.name).waitFor();
    assert.equal(await page.locator('#workers-table tbody tr').count(), 4, 'the table stays');
    assert.equal(await page.locator('#worker-form').isVisible(), false, 'no registration on a completed project');
    assert.equal(await page.locator('#worker-import-form').isVisible(), false);
    assert.equal(await page.locator('#workers-table button').count(), 0);
    // and the registration no longer shows the full ID number
    await page.goto(fx.base + '/certificates/' + encodeURIComponent(people.valid.number));
    await page.locator('#cert-full:not([hidden])').click();
    await page.locator('#cert-error:not([hidden])').waitFor();
    assert.match(await page.locator('#cert-error').textContent(), /^只有本区项目或本单位施工项目上登记的人员/);
  });
});
