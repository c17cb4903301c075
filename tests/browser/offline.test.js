// Browser test of the offline QR check (web/static/sw.js): after one visit
// to /scan, /v verifies a card with no network at all, from the pages,
// scripts, trust list and status list the worker saved, and says so.
'use strict';

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const H = require('./harness');

const KEPT = ['/scan', '/v', '/static/css/site.css', '/static/js/common.js', '/static/js/opcert-cred.js',
  '/static/js/credcheck.js', '/static/js/scan.js', '/static/js/v.js', '/static/vendor/jsQR.js',
  '/static/manifest.webmanifest', '/api/v1/trust-list', '/api/v1/status-list'].sort();

let fx;
let browser;
let current;
let revokedPayload; // a credential issued, then its certificate revoked

async function open(url) {
  current = await H.openPage(browser.context, fx.base);
  await current.page.goto(fx.base + url);
  return current.page;
}

async function verdict(page) {
  const panel = page.locator('#result .verdict:not([data-verdict="pending"])');
  await panel.waitFor();
  return {
    code: await panel.getAttribute('data-verdict'),
    label: (await panel.locator('.verdict-label').textContent()).trim(),
    text: await page.locator('#result').innerText()
  };
}

/* The paths in the worker's caches (every cache it keeps). */
function cachedPaths(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
    }
    return out.sort();
  });
}

/* One character of the payload's body changed (to another Base45 character). */
function changed(payload) {
  const i = Math.floor(payload.length / 2);
  return payload.slice(0, i) + (payload[i] === 'A' ? 'B' : 'A') + payload.slice(i + 1);
}

describe('the QR check without network', () => {
  before(async () => {
    fx = await H.setup({ sm2: false }); // the browser checks Ed25519-signed status lists
    // before anyone asks the server for its status list, so the revocation is in the first one
    const row = fs.readFileSync(path.join(fx.dir, 'demo', 'roster-clean.csv'), 'utf8').split(/\r?\n/).slice(1)
      .map((l) => l.split(',')).find((r) => /^黔A/.test(r[5] || '') && r[5] !== fx.valid.number);
    revokedPayload = H.cli(fx, ['cred', 'issue', row[5], '--keys', path.join(fx.dir, 'keys'), '--today', fx.today])
      .trim().split('\n').find((l) => l.startsWith('OC1:'));
    H.cli(fx, ['revoke', row[5], '--reason', '离线核验测试']);
    browser = await H.launch();
  });

  after(() => H.teardown(browser, fx));

  afterEach(async () => {
    const c = current;
    current = null;
    await H.endPage(c, fx, false);
  });

  it('installs the worker on /scan and saves the pages, scripts and both lists, nothing else', async () => {
    const page = await open('/scan');
    const scope = await page.evaluate(() => Promise.race([navigator.serviceWorker.ready.then((r) => r.scope),
      new Promise((resolve) => setTimeout(resolve, 10000, 'no worker after 10 s'))]));
    assert.equal(scope, fx.base + '/');
    await page.waitForFunction(async (n) => {
      let count = 0;
      for (const name of await caches.keys()) count += (await (await caches.open(name)).keys()).length;
      return count >= n;
    }, KEPT.length);
    assert.deepEqual(await cachedPaths(page), KEPT);

    // the worker's own answer carries the header that allows its scope
    const sw = await H.get(fx.base + '/static/sw.js');
    assert.equal(sw.status, 200);
    assert.equal(sw.headers['service-worker-allowed'], '/');
    assert.match(sw.headers['content-type'], /^text\/javascript/);

    // a signed-in page and an online check pass through the worker unsaved
    await H.signIn(page, fx.base, 'b.admin', fx.accounts.password);
    await page.goto(H.credUrl(fx.base, fx.payloads.genuine));
    assert.equal((await verdict(page)).code, 'valid');
    assert.equal(await page.locator('.offline-banner').count(), 0, 'no offline banner online');
    await H.signOut(page, fx.base);
    assert.deepEqual(await cachedPaths(page), KEPT);
  });

  it('shows 有效 with the offline banner for a genuine card when the phone is offline', async () => {
    await browser.context.setOffline(true);
    try {
      const page = await open(H.credUrl('', fx.payloads.genuine));
      const v = await verdict(page);
      assert.equal(v.code, 'valid');
      assert.equal(v.label, '有效');
      assert.ok(v.text.includes(fx.valid.name));
      const banner = (await page.locator('#result .offline-banner').innerText()).trim();
      assert.match(banner, /^当前离线：已用本机保存的信任列表（更新于 .+）和状态列表（更新于 .+）核验签名；吊销状态以状态列表更新时间为准。$/);
      await H.screenshot(page, 'offline-valid');
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('shows 已注销 offline for a revoked certificate, from the saved status list', async () => {
    await browser.context.setOffline(true);
    try {
      const page = await open(H.credUrl('', revokedPayload));
      const v = await verdict(page);
      assert.equal(v.code, 'revoked', v.text);
      assert.equal(await page.locator('#result .offline-banner').count(), 1);
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('shows 签名无效（伪造） offline for a payload with one character changed', async () => {
    await browser.context.setOffline(true);
    try {
      const page = await open(H.credUrl('', changed(fx.payloads.genuine)));
      const v = await verdict(page);
      assert.equal(v.code, 'forged');
      assert.equal(v.label, '签名无效（伪造）');
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('still opens /v and /scan from the saved copies with the server stopped', async () => {
    await fx.stop();
    const page = await open(H.credUrl('', fx.payloads.genuine));
    const v = await verdict(page);
    assert.equal(v.code, 'valid', v.text);
    assert.equal(await page.locator('#result .offline-banner').count(), 1);
    await page.goto(H.credUrl(fx.base, changed(fx.payloads.genuine)));
    assert.equal((await verdict(page)).code, 'forged');
    await page.goto(fx.base + '/scan');
    assert.equal(await page.locator('h1').innerText(), '扫码核验');
    assert.equal(await page.evaluate(() => typeof window.jsQR), 'function');
    await H.screenshot(page, 'offline-server-stopped');
  });

  it('says 状态未知 offline when the saved status list was signed more than 7 days ago', async () => {
    await browser.context.setOffline(true);
    try {
      current = await H.openPage(browser.context, fx.base);
      const page = current.page;
      // the phone's clock 8 days on (the clock is the context's: this test runs last); the list
      // saved minutes ago was signed 8 days before "now"
      await page.clock.install({ time: Date.now() + 8 * 86400 * 1000 });
      await page.goto(H.credUrl(fx.base, fx.payloads.genuine));
      const v = await verdict(page);
      assert.equal(v.code, 'status_unknown');
      assert.equal(v.label, '状态未知');
      assert.match(v.text, /超过7天未更新/);
      assert.equal(await page.locator('#result .offline-banner').count(), 1);
    } finally {
      await browser.context.setOffline(false);
    }
  });
});
