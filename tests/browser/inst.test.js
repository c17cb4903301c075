// Browser tests of the training institution pages (web/institutions.html,
// institution.html): Debian's Chromium against `opcert serve`.  A training
// user goes from their home page to their own institution's page (read
// only), and another institution's page is the not-found page in the shared
// frame, exactly as for an institution that does not exist; a city officer
// registers an institution through the form (a missing district is pointed
// out first) and opens its page, with the forms to change and close it.
'use strict';

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const H = require('./harness');

let fx;
let browser;
let current;
let inst;

async function fresh() {
  current = await H.openPage(browser.context, fx.base);
  return current.page;
}

function cli(args, input) {
  return H.cli(fx, args, input);
}

describe('training institutions', () => {
  before(async () => {
    fx = await H.setup();
    browser = await H.launch();
    cli(['institution', 'add', '--name', '云岩浏览器测试培训学校', '--district', '云岩区', '--contact', '王老师', '--phone', '0851-86000001']);
    cli(['institution', 'add', '--name', '南明浏览器测试培训中心', '--district', '南明区']);
    const list = JSON.parse(cli(['institution', 'list', '--json']));
    inst = {
      own: list.find((i) => i.name === '云岩浏览器测试培训学校'),
      other: list.find((i) => i.name === '南明浏览器测试培训中心')
    };
    assert.ok(inst.own && inst.other, 'both institutions are registered');
    cli(['user', 'add', 'b.train', '--role', 'training_user', '--institution', inst.own.name, '--password-stdin'],
      fx.accounts.password + '\n');
    cli(['user', 'add', 'b.instcity', '--role', 'city_officer', '--password-stdin'], fx.accounts.password + '\n');
  });

  after(() => H.teardown(browser, fx));

  afterEach(async () => {
    const c = current;
    current = null;
    await H.endPage(c, fx, true);
  });

  it('shows a training user their own institution, and another one as not found', async () => {
    const page = await fresh();
    await H.signIn(page, fx.base, 'b.train', fx.accounts.password);
    await page.locator('#home-actions a', { hasText: '本机构' }).waitFor();
    await Promise.all([page.waitForURL(/\/institutions\/\d+$/), page.locator('#home-actions a', { hasText: '本机构' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/institutions/' + inst.own.id, 'straight to their institution');
    await page.locator('#institution-details dd[data-field="name"]').waitFor();
    assert.equal(await page.locator('#institution-title').textContent(), inst.own.name);
    assert.equal(await page.locator('#institution-details dd[data-field="district"]').textContent(), '云岩区');
    assert.equal(await page.locator('#institution-details dd[data-field="contact"]').textContent(), '王老师');
    assert.ok(!(await page.locator('#institution-change-form').isVisible()), 'a training user changes nothing here');
    assert.ok(!(await page.locator('#institution-close-box').isVisible()), 'nor closes it');
    assert.equal(await page.locator('.site-nav a[href="/institutions"]').count(), 1, 'the institutions navigation');
    await H.screenshot(page, 'institution-own');

    // the list holds only their own
    await page.goto(fx.base + '/institutions');
    await page.locator(`#institutions-table tbody tr[data-id="${inst.own.id}"]`).waitFor();
    assert.equal(await page.locator('#institutions-table tbody tr').count(), 1, 'only their institution is listed');
    assert.ok(!(await page.locator('#institution-form').isVisible()), 'no form to register one');

    // another institution: the not-found page in the shared frame, like one that does not exist
    const other = await page.goto(fx.base + '/institutions/' + inst.other.id);
    assert.equal(other.status(), 404, "another institution's page is not there for them");
    await page.locator('#not-found').waitFor();
    assert.match(await page.locator('#not-found').textContent(), /没有找到/);
    assert.equal(await page.locator('header.site-header .site-nav').count(), 1, 'the shared header and navigation');
    assert.equal(await page.locator('footer.site-footer').count(), 1, 'the shared footer');
    assert.ok(!(await page.content()).includes(inst.other.name), 'nothing of it is shown');
    const otherBody = await other.text();
    await H.screenshot(page, 'institution-other');
    const missing = await page.goto(fx.base + '/institutions/99999999');
    assert.equal(missing.status(), 404);
    assert.equal(await missing.text(), otherBody, 'out of scope and missing look the same');
    const api = await page.request.get(fx.base + '/api/v1/institutions/' + inst.other.id);
    assert.equal(api.status(), 404);
  });

  it('lets a city officer register an institution through the form', async () => {
    const page = await fresh();
    await H.signIn(page, fx.base, 'b.instcity', fx.accounts.password);
    await page.locator('#home-actions a', { hasText: '培训机构' }).waitFor();
    await Promise.all([page.waitForURL(/\/institutions$/), page.locator('#home-actions a', { hasText: '培训机构' }).click()]);
    await page.locator(`#institutions-table tbody tr[data-id="${inst.other.id}"]`).waitFor();
    await page.locator(`#institutions-table tbody tr[data-id="${inst.own.id}"]`).waitFor();
    assert.ok(await page.locator('#institution-form').isVisible(), 'the city may register one');

    // a district that is not one of the city's first, pointed out in the form
    await page.locator('#institution-name').fill('观山湖浏览器测试培训学校');
    await page.locator('#institution-district').fill('不存在区');
    await page.locator('#institution-submit').click();
    await page.locator('#institution-error:not([hidden])').waitFor();
    assert.match(await page.locator('#institution-error').textContent(), /所在区/);
    assert.equal(await page.locator('#institution-district').getAttribute('aria-invalid'), 'true', 'the field is marked');

    await page.locator('#institution-district').fill('观山湖区');
    await page.locator('#institution-contact').fill('李老师');
    await page.locator('#institution-submit').click();
    await page.locator('#institution-done', { hasText: '已登记' }).waitFor();
    assert.match(await page.locator('#institution-done').textContent(), /观山湖浏览器测试培训学校/);
    const row = page.locator('#institutions-table tbody tr', { hasText: '观山湖浏览器测试培训学校' });
    await row.waitFor();
    assert.equal(await row.locator('td[data-label="所在区"]').textContent(), '观山湖区');
    const stored = JSON.parse(cli(['institution', 'list', '--json'])).find((i) => i.name === '观山湖浏览器测试培训学校');
    assert.ok(stored, 'the register holds it');
    assert.equal(stored.district, '观山湖区');
    assert.equal(stored.contact, '李老师');
    await H.screenshot(page, 'institutions-city');

    // its page, with the forms to change and close it
    await Promise.all([page.waitForURL(/\/institutions\/\d+$/), row.locator('a').click()]);
    assert.equal(new URL(page.url()).pathname, '/institutions/' + stored.id);
    await page.locator('#institution-details dd[data-field="name"]').waitFor();
    assert.equal(await page.locator('#institution-title').textContent(), '观山湖浏览器测试培训学校');
    assert.ok(await page.locator('#institution-change-form').isVisible(), 'the city may change it');
    assert.ok(await page.locator('#institution-close-box').isVisible(), 'and close it');
    await page.locator('#change-phone').fill('0851-86000002');
    await page.locator('#change-submit').click();
    await page.locator('#change-done', { hasText: '已保存' }).waitFor();
    assert.equal(await page.locator('#institution-details dd[data-field="phone"]').textContent(), '0851-86000002');
    const audit = JSON.parse(cli(['audit', 'list', '--json', '--user', 'b.instcity'])).map((e) => e.action);
    assert.ok(audit.includes('institution.add') && audit.includes('institution.change'), 'both changes are in the audit trail');
  });
});
