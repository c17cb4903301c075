// Browser tests of the companies, projects and audit pages (web/companies.html,
// company.html, projects.html, audit.html): Debian's Chromium against
// `opcert serve`.  A district officer of 云岩区 sees their district's company
// and registers one (a wrong check character is pointed out in the form),
// and another district's company page is the not-found page, exactly as for
// a company that does not exist; a city officer opens both; the auditor reads
// the trail, with the district officer's change in it, and runs the tamper
// check.
'use strict';

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const H = require('./harness');

let fx;
let browser;
let current;
let companies;

async function fresh() {
  current = await H.openPage(browser.context, fx.base);
  return current.page;
}

function cli(args, input) {
  return H.cli(fx, args, input);
}

/* A unified social credit code with its check character (GB 32100-2015). */
function uscc(first17) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let s = 0;
  for (let i = 0; i < 17; i++) s += alphabet.indexOf(first17[i]) * weights[i];
  return first17 + alphabet[(31 - (s % 31)) % 31];
}

describe('companies, projects and the audit trail', () => {
  before(async () => {
    fx = await H.setup();
    browser = await H.launch();
    for (const [login, role] of [['b.city', 'city_officer'], ['b.audit', 'auditor']]) {
      cli(['user', 'add', login, '--role', role, '--password-stdin'], fx.accounts.password + '\n');
    }
    const list = JSON.parse(cli(['company', 'list', '--json']));
    companies = {
      own: list.find((c) => c.district === '云岩区'),
      other: list.find((c) => c.district === '南明区')
    };
    assert.ok(companies.own && companies.other, 'the demo has companies in 云岩区 and 南明区');
  });

  after(() => H.teardown(browser, fx));

  afterEach(async () => {
    const c = current;
    current = null;
    await H.endPage(c, fx, true);
  });

  it('keeps a district officer of 云岩区 to their district\'s companies', async () => {
    const page = await fresh();
    await H.signIn(page, fx.base, 'b.officer', fx.accounts.password);
    await page.locator('#home-actions li').first().waitFor();
    await Promise.all([page.waitForURL(/\/companies$/), page.locator('#home-actions a', { hasText: '本区单位' }).click()]);
    await page.locator(`#companies-table tbody tr[data-uscc="${companies.own.uscc}"]`).waitFor();
    const rows = await page.locator('#companies-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-uscc')));
    assert.ok(!rows.includes(companies.other.uscc), "another district's company is not listed");
    const districts = await page.locator('#companies-table tbody td[data-label="所在区"]').allTextContents();
    assert.deepEqual([...new Set(districts)], ['云岩区'], 'only 云岩区 in the list');
    await H.screenshot(page, 'companies-district');

    // register one: a wrong check character first, pointed out in the form
    const code = uscc('91520103MA6BRWX01');
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    assert.equal(await page.locator('#company-district').inputValue(), '云岩区', 'their district, filled in');
    await page.locator('#company-uscc').fill(wrong);
    await page.locator('#company-name').fill('浏览器测试建筑有限公司');
    await page.locator('#company-submit').click();
    await page.locator('#company-error:not([hidden])').waitFor();
    assert.match(await page.locator('#company-error').textContent(), /统一社会信用代码/);
    assert.equal(await page.locator('#company-uscc').getAttribute('aria-invalid'), 'true', 'the field is marked');
    await page.locator('#company-uscc').fill(code);
    await page.locator('#company-submit').click();
    await page.locator(`#companies-table tbody tr[data-uscc="${code}"]`).waitFor();
    assert.match(await page.locator('#company-done').textContent(), /已登记/);

    // their company's page
    await Promise.all([page.waitForURL(/\/companies\/.+/),
      page.locator(`#companies-table tbody tr[data-uscc="${companies.own.uscc}"] a`).click()]);
    await page.locator('#company-details dd[data-field="uscc"]').waitFor();
    assert.equal(await page.locator('#company-title').textContent(), companies.own.name);
    assert.equal(await page.locator('#company-details dd[data-field="uscc"]').textContent(), companies.own.uscc);
    assert.ok(await page.locator('#company-change-form').isVisible(), 'a district officer may change it');
    await H.screenshot(page, 'company-own');

    // another district's company: the not-found page, like a company that does not exist
    const other = await page.goto(fx.base + '/companies/' + companies.other.uscc);
    assert.equal(other.status(), 404, "another district's company page is not there for them");
    await page.locator('#not-found').waitFor();
    assert.match(await page.locator('#not-found').textContent(), /没有找到/);
    assert.ok(!(await page.content()).includes(companies.other.name), 'nothing of it is shown');
    const otherBody = await other.text();
    await H.screenshot(page, 'company-other-district');
    const missing = await page.goto(fx.base + '/companies/' + uscc('91520102MA9YYYY99'));
    assert.equal(missing.status(), 404);
    assert.equal(await missing.text(), otherBody, 'out of scope and missing look the same');
    const api = await page.request.get(fx.base + '/api/v1/companies/' + companies.other.uscc);
    assert.equal(api.status(), 404);
  });

  it('lets a city officer open the companies of both districts', async () => {
    const page = await fresh();
    await H.signIn(page, fx.base, 'b.city', fx.accounts.password, '/companies');
    assert.equal(new URL(page.url()).pathname, '/companies');
    await page.locator(`#companies-table tbody tr[data-uscc="${companies.other.uscc}"]`).waitFor();
    await page.locator(`#companies-table tbody tr[data-uscc="${companies.own.uscc}"]`).waitFor();
    for (const c of [companies.own, companies.other]) {
      const res = await page.goto(fx.base + '/companies/' + c.uscc);
      assert.equal(res.status(), 200, `${c.district}: the page opens`);
      await page.locator('#company-details dd[data-field="district"]').waitFor();
      assert.equal(await page.locator('#company-title').textContent(), c.name);
      assert.equal(await page.locator('#company-details dd[data-field="district"]').textContent(), c.district);
    }
    await H.screenshot(page, 'company-city');
    const res = await page.goto(fx.base + '/projects');
    assert.equal(res.status(), 200);
    await page.locator('#projects-table tbody tr').first().waitFor();
    const districts = await page.locator('#projects-table tbody td[data-label="所在区"]').allTextContents();
    assert.ok(new Set(districts).size > 1, 'the city sees projects of several districts');
    const audit = await page.goto(fx.base + '/audit');
    assert.equal(audit.status(), 403, 'a city officer does not read the trail');
  });

  it('shows a city officer a register record masked, and in full on request', async () => {
    const fs = require('node:fs');
    const row = fs.readFileSync(path.join(fx.dir, 'demo', 'register.csv'), 'utf8').replace(/^\uFEFF/, '')
      .split(/\r?\n/).map((l) => l.split(',')).find((r) => /^黔A/.test(r[0]));
    const [number, name, , id] = row;
    const page = await fresh();
    await H.signIn(page, fx.base, 'b.city', fx.accounts.password);
    await page.locator('#home-cert-number').fill(number);
    await Promise.all([page.waitForURL(/\/certificates\/.+/), page.locator('#home-cert button').click()]);
    const fields = page.locator('#cert-fields');
    await fields.locator('dd').first().waitFor();
    let text = await fields.textContent();
    assert.ok(text.includes(name), 'the record names the holder');
    assert.ok(!text.includes(id), 'the ID number is masked at first');
    assert.ok(text.includes(id.slice(0, 6) + '********' + id.slice(14)), 'the masked form is shown');
    await page.locator('#cert-full:not([hidden])').click();
    await page.locator('#cert-full[hidden]').waitFor({ state: 'attached' });
    text = await fields.textContent();
    assert.ok(text.includes(id), 'the full ID number after asking for it');
    await H.screenshot(page, 'certificate-city');
    const views = JSON.parse(cli(['audit', 'list', '--json', '--user', 'b.city']))
      .filter((e) => e.action === 'id.view');
    assert.equal(views.length, 1, 'the full view is in the audit trail');
  });

  it('shows the auditor the trail and the tamper check', async () => {
    const page = await fresh();
    await H.signIn(page, fx.base, 'b.audit', fx.accounts.password);
    await page.locator('#home-actions li').first().waitFor();
    await Promise.all([page.waitForURL(/\/audit$/), page.locator('#home-actions a', { hasText: '审计记录' }).click()]);
    await page.locator('#audit-table tbody tr').first().waitFor();
    await page.locator('#audit-user').fill('b.officer');
    // Wait for the filtered answer itself: the unfiltered table shown before
    // may already hold rows that match what is looked for next.
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('user=b.officer')),
      page.locator('#audit-filter button[type="submit"]').click()
    ]);
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('#audit-table tbody td[data-label="账号"]')];
      return cells.length > 0 && cells.every((td) => td.textContent === 'b.officer');
    });
    await page.locator('#audit-table tbody tr td[data-label="操作"]', { hasText: 'company.add' }).first().waitFor();
    const logins = await page.locator('#audit-table tbody td[data-label="账号"]').allTextContents();
    assert.deepEqual([...new Set(logins)], ['b.officer'], 'the filter keeps one account');
    await page.locator('#audit-verify').click();
    await page.locator('#audit-verify-result .verdict').waitFor();
    assert.match(await page.locator('#audit-verify-result .verdict-label').textContent(), /未发现问题/);
    await H.screenshot(page, 'audit');
    const post = await page.request.post(fx.base + '/api/v1/companies', {
      headers: { 'X-CSRF-Token': (await (await page.request.get(fx.base + '/api/v1/session')).json()).csrf },
      data: { uscc: uscc('91520103MA6AUDXT1'), name: '审计员不能登记', kind: 'builder', district: '云岩区' }
    });
    assert.equal(post.status(), 403, 'the auditor changes nothing');
  });
});
