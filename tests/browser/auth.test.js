// Browser tests of signing in (web/login.html, password.html, home.html,
// accounts.html, district.html, probes.html): Debian's Chromium against
// `opcert serve`.  A first sign-in with a one-time password is sent to change
// it, the home page lists what the role can do, signing out ends the session,
// a district officer cannot open another district's page, an administrator
// creates an account whose one-time password is shown once, and sees and
// clears who has been trying ID numbers (可疑核对).
'use strict';

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const H = require('./harness');

let fx;
let browser;
let current;

async function fresh() {
  current = await H.openPage(browser.context, fx.base);
  return current.page;
}

describe('signing in', () => {
  before(async () => {
    fx = await H.setup();
    browser = await H.launch();
  });

  after(() => H.teardown(browser, fx));

  afterEach(async () => {
    const c = current;
    current = null;
    await H.endPage(c, fx, true);
  });

  it('sends a first sign-in to change the password, then home, then signs out', async () => {
    const page = await fresh();
    const res = await page.goto(fx.base + '/home');
    assert.equal(new URL(page.url()).pathname, '/login', 'an account page without a session goes to /login');
    assert.equal(res.status(), 200);
    await H.screenshot(page, 'login');
    await page.locator('#login').fill('b.fresh');
    await page.locator('#password').fill('not-the-password');
    await page.locator('#login-submit').click();
    await page.locator('#login-error').waitFor();
    assert.match(await page.locator('#login-error').textContent(), /用户名或密码错误/);

    await page.locator('#password').fill(fx.accounts.freshOtp);
    await Promise.all([page.waitForURL(/\/password/), page.locator('#login-submit').click()]);
    await page.locator('#password-first').waitFor();
    await H.screenshot(page, 'password-first');
    // nothing else opens before the change
    const blocked = await page.request.get(fx.base + '/api/v1/districts');
    assert.equal(blocked.status(), 403);
    assert.equal((await blocked.json()).error.code, 'password_change_required');

    const newPassword = 'Fresh-browser-2026x';
    await page.locator('#old-password').fill(fx.accounts.freshOtp);
    await page.locator('#new-password').fill(newPassword);
    await page.locator('#new-password2').fill(newPassword + 'x');
    await page.locator('#password-submit').click();
    assert.match(await page.locator('#password-error').textContent(), /不一致/);
    await page.locator('#new-password2').fill(newPassword);
    await Promise.all([page.waitForURL(/\/home$/), page.locator('#password-submit').click()]);

    await page.locator('#home-actions li').first().waitFor();
    assert.match(await page.locator('#home-who').textContent(), /b\.fresh.*市住建局工作人员/);
    const links = await page.locator('#home-actions a').allTextContents();
    for (const want of ['证书查询', '扫码核验', '批量核验', '可疑核对', '云岩区', '修改密码']) {
      assert.ok(links.includes(want), `home lists ${want}: ${links.join('、')}`);
    }
    assert.ok(!links.includes('账号管理'), 'a city officer does not manage accounts');
    await H.screenshot(page, 'home-city-officer');

    await page.locator('.nav-signout').waitFor();
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.locator('.nav-signout').click()]);
    await page.locator('.nav-signin').waitFor();
    const after = await page.request.get(fx.base + '/api/v1/session');
    assert.equal((await after.json()).signed_in, false, 'signed out');
  });

  it('keeps a district officer to their own district', async () => {
    const page = await fresh();
    await H.signIn(page, fx.base, 'b.officer', fx.accounts.password);
    assert.equal(new URL(page.url()).pathname, '/home');
    await page.locator('#home-actions li').first().waitFor();
    const own = page.locator('#home-actions a', { hasText: '云岩区' });
    await Promise.all([page.waitForURL(/\/districts\//), own.click()]);
    await page.locator('#district-accounts li').first().waitFor();
    assert.equal(await page.locator('#district-title').textContent(), '云岩区');
    assert.match(await page.locator('#district-accounts').innerText(), /b\.officer/);
    await H.screenshot(page, 'district-own');

    const other = await page.goto(fx.base + '/districts/' + encodeURIComponent('南明区'));
    assert.equal(other.status(), 404, "another district's page is not there for them");
    const api = await page.request.get(fx.base + '/api/v1/districts/' + encodeURIComponent('南明区'));
    assert.equal(api.status(), 404);
    const admin = await page.goto(fx.base + '/accounts');
    assert.equal(admin.status(), 403, 'no account management for a district officer');
  });

  // ?next= after signing in stays on this site.  Browsers drop tabs and line
  // breaks from a URL and read '\' as '/', so '/<TAB>/evil.example' is
  // '//evil.example', another site; any such value lands on the home page.
  it('keeps ?next= on this site after signing in', async () => {
    const page = await fresh();
    // were the page to leave, the other site answers here instead of the network
    await page.route((u) => u.hostname === 'evil.example', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>evil</p>' }));
    const hostile = ['/\t/evil.example', '/\n/evil.example', '/\r\\evil.example', '//evil.example', '/\\evil.example',
      'https://evil.example/', 'javascript:alert(1)'];
    const home = new URL('/home', fx.base).href;
    for (const next of hostile) {
      await H.signIn(page, fx.base, 'b.officer', fx.accounts.password, next);
      assert.equal(page.url(), home, `next=${JSON.stringify(next)} lands on the home page`);
      await H.signOut(page, fx.base);
    }
    // a path that only resolves to '//evil.example' stays a path of this site
    await H.signIn(page, fx.base, 'b.officer', fx.accounts.password, '/.//evil.example');
    assert.equal(new URL(page.url()).origin, new URL(fx.base).origin, 'next=/.//evil.example stays on this site');
    await H.signOut(page, fx.base);
    await H.signIn(page, fx.base, 'b.officer', fx.accounts.password, '/projects');
    assert.equal(page.url(), new URL('/projects', fx.base).href, 'a path on this site is kept');
    await H.signOut(page, fx.base);

    // the same through the first sign-in, which passes next on to /password
    const otp = H.cli(fx, ['user', 'add', 'b.next', '--role', 'city_officer']).trim().split('\n').pop().trim();
    await page.goto(fx.base + '/login?next=' + encodeURIComponent('/\t/evil.example'));
    await page.locator('#login').fill('b.next');
    await page.locator('#password').fill(otp);
    await Promise.all([page.waitForURL(/\/password/), page.locator('#login-submit').click()]);
    await page.locator('#old-password').fill(otp);
    await page.locator('#new-password').fill('Next-browser-2026x');
    await page.locator('#new-password2').fill('Next-browser-2026x');
    await Promise.all([page.waitForURL((u) => u.pathname !== '/password'), page.locator('#password-submit').click()]);
    assert.equal(page.url(), home, 'after the password change too');
  });

  it('lets an administrator create an account and shows its one-time password once', async () => {
    const page = await fresh();
    await H.signIn(page, fx.base, 'b.admin', fx.accounts.password, '/accounts');
    assert.equal(new URL(page.url()).pathname, '/accounts');
    await page.locator('#accounts-table tbody tr').first().waitFor();
    await page.locator('#acct-login').fill('b.made');
    await page.locator('#acct-role').selectOption('district_officer');
    await page.locator('#acct-scope').fill('花溪区');
    await page.locator('#account-submit').click();
    await page.locator('#otp-box:not([hidden])').waitFor();
    const otp = (await page.locator('#otp-value').textContent()).trim();
    assert.ok(otp.length >= 8, 'a one-time password is shown');
    await page.locator('#accounts-table tbody tr[data-login="b.made"]').waitFor();
    await H.screenshot(page, 'accounts');
    const list = await (await page.request.get(fx.base + '/api/v1/accounts')).text();
    assert.ok(!list.includes(otp), 'the list never holds the one-time password');
    await page.reload();
    await page.locator('#accounts-table tbody tr').first().waitFor();
    assert.ok(await page.locator('#otp-box').isHidden(), 'shown once: gone after a reload');
  });

  it('shows the city administrator who tried ID numbers, and clears them', async () => {
    // Four emergency-management numbers of one mask ("T" + ID numbers with
    // other birth dates), none in the register: the public check answers
    // three and refuses the fourth for this address.
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const check = (f17) => '10X98765432'[[...f17].reduce((s, c, i) => s + Number(c) * w[i], 0) % 11];
    const numbers = [];
    for (let m = 1; m <= 12 && numbers.length < 4; m++) {
      for (let d = 1; d <= 28 && numbers.length < 4; d++) {
        const f17 = '520102' + '1970' + String(m).padStart(2, '0') + String(d).padStart(2, '0') + '123';
        if (check(f17) === 'X') numbers.push('T' + f17 + 'X');
      }
    }
    assert.equal(numbers.length, 4);
    const page = await fresh();
    const statuses = [];
    for (const n of numbers) {
      const r = await page.request.get(fx.base + '/api/v1/verify?number=' + n + '&name=' + encodeURIComponent('张三'));
      statuses.push(r.status());
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);

    await H.signIn(page, fx.base, 'b.admin', fx.accounts.password, '/probes');
    assert.equal(new URL(page.url()).pathname, '/probes');
    const row = page.locator('#probes-table tbody tr[data-subject="address:127.0.0.1"]');
    await row.waitFor();
    assert.match(await row.innerText(), /地址 127\.0\.0\.1/);
    assert.equal((await row.locator('td').nth(2).textContent()).trim(), '3', 'three wrong tries');
    assert.equal((await row.locator('td').nth(4).textContent()).trim(), '1', 'one certificate at the limit');
    await H.screenshot(page, 'probes');
    page.once('dialog', (d) => d.accept());
    await row.locator('button', { hasText: '清除' }).click();
    await row.waitFor({ state: 'detached' });
    const again = await page.request.get(fx.base + '/api/v1/verify?number=' + numbers[3] + '&name=' + encodeURIComponent('张三'));
    assert.equal(again.status(), 200, 'cleared: the address is answered again');
  });
});
