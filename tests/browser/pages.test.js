// Browser tests of the public pages (web/): Debian's Chromium, driven by
// playwright-core, against `opcert serve` with a demo register.
'use strict';

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const H = require('./harness');
const C = require(path.join(H.SRC, 'web/static/js/opcert-cred.js'));

const GREEN = 'rgb(10, 122, 51)';
const RED = 'rgb(179, 0, 27)';
const AMBER = 'rgb(240, 176, 0)';

let fx; // the fixture
let browser;
let current; // {page, problems, requests} of the running test

async function open(url) {
  current = await H.openPage(browser.context, fx.base);
  await current.page.goto(fx.base + url);
  return current.page;
}

/* The verdict panel once it holds a final verdict. */
async function verdict(page) {
  const panel = page.locator('#result .verdict:not([data-verdict="pending"])');
  await panel.waitFor();
  return {
    code: await panel.getAttribute('data-verdict'),
    label: (await panel.locator('.verdict-label').textContent()).trim(),
    colour: await panel.evaluate((e) => getComputedStyle(e).backgroundColor),
    text: await page.locator('#result').innerText()
  };
}

async function noHorizontalScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= page.viewportSize().width, `page is ${width}px wide`);
}

function base45Encode(bytes) {
  const A = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const v = bytes[i] * 256 + bytes[i + 1];
    out += A[v % 45] + A[Math.floor(v / 45) % 45] + A[Math.floor(v / 2025)];
  }
  if (bytes.length % 2) {
    const v = bytes[bytes.length - 1];
    out += A[v % 45] + A[Math.floor(v / 45)];
  }
  return out;
}

describe('opcert pages in Chromium', () => {
  before(async () => {
    fx = await H.setup();
    browser = await H.launch();
  });

  after(() => H.teardown(browser, fx));

  afterEach(async () => {
    const c = current;
    current = null;
    await H.endPage(c, fx, false);
  });

  describe('证书查询 (index)', () => {
    it('shows a valid certificate in green with the masked ID only', async () => {
      const page = await open('/');
      await H.screenshot(page, 'index');
      await noHorizontalScroll(page);
      await page.getByLabel('证书编号').fill(fx.valid.number);
      await page.getByLabel('持证人姓名').fill(fx.valid.name);
      await page.getByRole('button', { name: '查询' }).click();
      const v = await verdict(page);
      assert.equal(v.code, 'valid');
      assert.equal(v.label, '有效');
      assert.equal(v.colour, GREEN);
      assert.match(v.text, new RegExp(fx.valid.id.slice(0, 6) + '\\*{8}' + fx.valid.id.slice(14)));
      assert.ok(!v.text.includes(fx.valid.id), 'the full ID number is never shown');
      assert.ok(v.text.includes(fx.valid.name));
      await noHorizontalScroll(page);
      await H.screenshot(page, 'index-valid');
    });

    it('says 查无此证 for a wrong name, like for a number that does not exist', async () => {
      const page = await open('/');
      await page.getByLabel('证书编号').fill(fx.valid.number);
      await page.getByLabel('持证人姓名').fill(fx.valid.name + '某');
      await page.getByRole('button', { name: '查询' }).click();
      const v = await verdict(page);
      assert.equal(v.code, 'not_found');
      assert.match(v.label, /查无此证/);
      assert.equal(v.colour, RED);
      assert.ok(!v.text.includes(fx.valid.id.slice(0, 6) + '********'), 'no details for a wrong name');
      await H.screenshot(page, 'index-not-found');
    });

    it('says 已注销 for a revoked certificate', async () => {
      const page = await open('/');
      await page.getByLabel('证书编号').fill(fx.revoked.number);
      await page.getByLabel('持证人姓名').fill(fx.revoked.name);
      await page.getByRole('button', { name: '查询' }).click();
      const v = await verdict(page);
      assert.equal(v.code, 'revoked');
      assert.match(v.label, /已注销/);
      assert.equal(v.colour, RED);
      await H.screenshot(page, 'index-revoked');
    });

    it('asks for both fields before querying', async () => {
      const page = await open('/');
      await page.getByRole('button', { name: '查询' }).click();
      await page.locator('#form-error').waitFor();
      assert.match(await page.locator('#form-error').textContent(), /证书编号/);
      assert.ok(!current.requests.some((r) => r.includes('/api/v1/verify')));
    });
  });

  describe('扫码核验 (scan)', () => {
    it('verifies a photo of a genuine card in the browser: 有效', async () => {
      const page = await open('/scan');
      await H.screenshot(page, 'scan');
      await noHorizontalScroll(page);
      await page.locator('#photo').setInputFiles(fx.files.card);
      const v = await verdict(page);
      assert.equal(v.code, 'valid', v.text);
      assert.equal(v.label, '有效');
      assert.equal(v.colour, GREEN);
      assert.ok(v.text.includes(fx.valid.name));
      assert.match(v.text, /\*{8}/);
      assert.match(v.text, /签名已在本机核验/);
      assert.match(v.text, /贵阳市住房和城乡建设局/, 'the issuer named from the trust list');
      assert.ok(current.requests.some((r) => r.endsWith('/api/v1/trust-list')));
      assert.ok(current.requests.some((r) => r.startsWith('POST ') && r.endsWith('/api/v1/verify/credential')));
      await noHorizontalScroll(page);
      await H.screenshot(page, 'scan-valid');

      // the ID card's number matches the signed hash; another does not
      await page.locator('#idcheck-input').fill(fx.valid.id);
      await page.getByRole('button', { name: '核对' }).click();
      await page.getByText('一致：这是凭证上持证人的身份证号码').waitFor();
      await page.locator('#idcheck-input').fill('11010519491231002X');
      await page.getByRole('button', { name: '核对' }).click();
      await page.getByText('不一致').waitFor();
    });

    it('scans a genuine card continuously with the rear camera: 有效', async () => {
      // one camera frame: the card photo on a 1280x720 background (Chromium's
      // file-backed fake camera wants even sizes)
      const conv = await open('/help');
      const jpeg = await conv.evaluate(async (b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const img = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
        const canvas = new OffscreenCanvas(1280, 720);
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#5a5f6a';
        ctx.fillRect(0, 0, 1280, 720);
        const k = Math.min(1180 / img.width, 660 / img.height);
        ctx.drawImage(img, (1280 - img.width * k) / 2, (720 - img.height * k) / 2, img.width * k, img.height * k);
        const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
        const out = new Uint8Array(await blob.arrayBuffer());
        let bin = '';
        for (let i = 0; i < out.length; i++) bin += String.fromCharCode(out[i]);
        return btoa(bin);
      }, fs.readFileSync(fx.files.card).toString('base64'));
      await conv.close();
      const frame = path.join(fx.dir, 'camera.mjpeg');
      fs.writeFileSync(frame, Buffer.from(jpeg, 'base64'));

      const camera = await H.launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${frame}`]);
      try {
        current = await H.openPage(camera.context, fx.base);
        const page = current.page;
        await page.addInitScript(() => {
          const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
          navigator.mediaDevices.getUserMedia = (c) => {
            window.cameraConstraints = JSON.stringify(c);
            return gum(c);
          };
        });
        await page.goto(fx.base + '/scan');
        await page.getByRole('button', { name: '打开摄像头扫码' }).click();
        const v = await verdict(page);
        assert.equal(v.code, 'valid', v.text);
        assert.ok(v.text.includes(fx.valid.name));
        assert.ok(await page.locator('#camera').isHidden(), 'the camera is released after a code is read');
        const constraints = JSON.parse(await page.evaluate(() => window.cameraConstraints));
        assert.deepEqual(constraints.video.facingMode, { ideal: 'environment' }, 'the rear camera');
        await H.screenshot(page, 'scan-camera-valid');
        await page.close();
      } finally {
        await camera.close();
      }
    });

    it('shows 伪造 for a card signed with a key that is not on the trust list', async () => {
      const page = await open('/scan');
      await page.locator('#photo').setInputFiles(fx.files.forgedCard);
      const v = await verdict(page);
      assert.equal(v.code, 'forged', v.text);
      assert.match(v.label, /伪造/);
      assert.equal(v.colour, RED);
      assert.ok(!v.text.includes(fx.valid.name), 'nothing of a forged credential is shown');
      assert.ok(!current.requests.some((r) => r.endsWith('/api/v1/verify/credential')), 'decided in the browser');
      await H.screenshot(page, 'scan-forged');
    });

    it('shows 非官方查询链接 naming the host for a look-alike site’s QR', async () => {
      const page = await open('/scan');
      await page.locator('#photo').setInputFiles(fx.files.lookalikeQr);
      const v = await verdict(page);
      assert.equal(v.code, 'unofficial_link', v.text);
      assert.equal(v.label, '非官方查询链接');
      assert.equal(v.colour, RED);
      assert.ok(v.text.includes(fx.payloads.lookalikeHost));
      // the header asks who is signed in; nothing of the QR goes to the server
      assert.ok(!current.requests.some((r) => r.includes('/api/v1/') && !r.endsWith('/api/v1/session')), 'nothing of it is decoded or sent');
      await H.screenshot(page, 'scan-unofficial');
    });

    it('asks the server when the browser has no Ed25519', async () => {
      current = await H.openPage(browser.context, fx.base);
      const page = current.page;
      await page.addInitScript(() => {
        const importKey = crypto.subtle.importKey.bind(crypto.subtle);
        crypto.subtle.importKey = (format, key, alg, ...rest) => {
          const name = typeof alg === 'string' ? alg : alg && alg.name;
          if (name === 'Ed25519') return Promise.reject(new DOMException('no Ed25519', 'NotSupportedError'));
          return importKey(format, key, alg, ...rest);
        };
      });
      await page.goto(fx.base + '/scan');
      await page.locator('#photo').setInputFiles(fx.files.qr);
      const v = await verdict(page);
      assert.equal(v.code, 'valid', v.text);
      assert.match(v.text, /不支持在本机核验/);
      assert.match(v.text, /已改由官方服务器核验/);
      assert.ok(v.text.includes(fx.valid.name));
      await H.screenshot(page, 'scan-server-fallback');
    });
  });

  describe('/v (the page a card’s QR opens)', () => {
    it('verifies a genuine fragment: 有效', async () => {
      const page = await open(H.credUrl('', fx.payloads.genuine));
      const v = await verdict(page);
      assert.equal(v.code, 'valid', v.text);
      assert.equal(v.colour, GREEN);
      assert.ok(v.text.includes(fx.valid.name));
      await noHorizontalScroll(page);
      await H.screenshot(page, 'v-valid');
    });

    it('asks the server about an SM2 credential: 有效, and 伪造 when changed', async () => {
      let page = await open(H.credUrl('', fx.payloads.sm2));
      let v = await verdict(page);
      assert.equal(v.code, 'valid', v.text);
      assert.equal(v.colour, GREEN);
      assert.match(v.text, /国密 SM2/);
      assert.match(v.text, /已改由官方服务器核验/);
      assert.ok(v.text.includes(fx.valid.name));
      assert.ok(current.requests.some((r) => r.includes('/api/v1/verify/credential')), 'the server was asked');
      await H.screenshot(page, 'v-sm2');
      assert.deepEqual(current.problems, [], 'no script errors, CSP violations or outside requests');
      await page.close();
      current = null;
      const p = fx.payloads.sm2;
      const tampered = p.slice(0, 60) + (p[60] === 'A' ? 'B' : 'A') + p.slice(61);
      page = await open(H.credUrl('', tampered));
      v = await verdict(page);
      assert.equal(v.code, 'forged', v.text);
    });

    it('shows 伪造 for a changed character', async () => {
      const p = fx.payloads.genuine;
      const at = 40;
      const tampered = p.slice(0, at) + (p[at] === 'A' ? 'B' : 'A') + p.slice(at + 1);
      const page = await open(H.credUrl('', tampered));
      const v = await verdict(page);
      assert.equal(v.code, 'forged', v.text);
      assert.equal(v.colour, RED);
      await H.screenshot(page, 'v-forged');
    });

    it('shows 伪造 for changed claims under the genuine signature (checked with WebCrypto)', async () => {
      const cose = await C.inflate(C.base45Decode(fx.payloads.genuine.slice(4)));
      const bad = Buffer.from(cose);
      const name = Buffer.from(fx.valid.name);
      const at = bad.indexOf(name);
      assert.ok(at > 0);
      bad[at + name.length - 1] ^= 0x01; // the last character of the name, still UTF-8
      const payload = 'OC1:' + base45Encode(zlib.deflateSync(bad, { level: 9 }));
      const page = await open(H.credUrl('', payload));
      const v = await verdict(page);
      assert.equal(v.code, 'forged', v.text);
      assert.match(v.text, /签名与内容不符/);
    });

    it('verifies the known-answer vectors with Chromium’s own WebCrypto and zlib', async () => {
      const kat = fs.readFileSync(path.join(H.SRC, 'tests/data/cred/kat.txt'), 'utf8');
      const vectors = kat.split(/^\[vector \d+\]$/m).slice(1).map((block) =>
        Object.fromEntries(block.split('\n').map((l) => /^([a-z_.]+) = (.*)$/.exec(l)).filter(Boolean)
          .map((m) => [m[1], m[2]])));
      const junk = 'OC1:' + base45Encode(Buffer.concat([zlib.deflateSync(Buffer.from(vectors[0].cose, 'hex')),
        Buffer.from([0])]));
      const page = await open('/v');
      const out = await page.evaluate(async ({ vectors, junk }) => {
        const C = window.OpcertCred;
        const results = [];
        for (const v of vectors) {
          const tl = { keys: [{ kid: v.kid, alg: 'Ed25519', pk: C.fromHex(v.pk), not_before: 0, not_after: null }] };
          const good = await C.verifyCredential(v.payload, tl);
          const link = C.classifyLink(v.url, 'https://' + v.host);
          const p = v.payload;
          const changed = await C.verifyCredential(p.slice(0, 50) + (p[50] === 'A' ? 'B' : 'A') + p.slice(51), tl);
          results.push([good.result, good.claims && good.claims.name, link.payload === p, changed.result]);
        }
        const tl0 = { keys: [{ kid: vectors[0].kid, alg: 'Ed25519', pk: C.fromHex(vectors[0].pk), not_before: 0 }] };
        results.push((await C.verifyCredential(junk, tl0)).result);
        results.push(await C.ed25519Supported());
        return results;
      }, { vectors, junk });
      assert.deepEqual(out.slice(0, 2), vectors.map((v) => ['ok', v.name, true, 'malformed']));
      assert.equal(out[2], 'malformed', 'bytes after the zlib stream');
      assert.equal(out[3], true, 'Chromium has Ed25519');
    });

    it('explains itself when opened without a fragment', async () => {
      const page = await open('/v');
      await page.locator('#v-empty').waitFor();
      await H.screenshot(page, 'v-empty');
    });
  });

  describe('批量核验 (batch)', () => {
    it('lists problem rows first, counts verdicts and downloads a CSV with a BOM', async () => {
      // rosters need a company, officer or city role
      current = await H.openPage(browser.context, fx.base);
      const page = current.page;
      await H.signIn(page, fx.base, 'b.officer', fx.accounts.password, '/batch');
      assert.equal(new URL(page.url()).pathname, '/batch');
      await H.screenshot(page, 'batch');
      await page.locator('#roster').setInputFiles(fx.files.roster);
      await page.getByRole('button', { name: '开始核验' }).click();
      await page.locator('#batch-table tbody tr').first().waitFor();

      const rows = await page.locator('#batch-table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({ verdict: tr.getAttribute('data-verdict'), row: Number(tr.cells[0].textContent) })));
      const expected = fs.readFileSync(fx.files.roster, 'utf8').split(/\r?\n/).filter(Boolean).length - 1;
      assert.equal(rows.length, expected);
      const firstValid = rows.findIndex((r) => r.verdict === 'valid');
      assert.ok(firstValid > 0, 'some problem rows');
      assert.ok(rows.slice(firstValid).every((r) => r.verdict === 'valid'), 'problem rows first');
      assert.ok(rows.slice(0, firstValid).every((r) => r.verdict !== 'valid'));
      assert.equal(rows[0].verdict === 'unofficial_link' || rows[0].verdict === 'forged' ||
        rows[0].verdict === 'tampered' || rows[0].verdict === 'uncertified', true, 'most serious first');

      // counts per verdict agree with the rows
      const tally = {};
      rows.forEach((r) => { tally[r.verdict] = (tally[r.verdict] || 0) + 1; });
      const counts = await page.locator('#batch-counts li').evaluateAll((lis) =>
        lis.map((li) => [li.getAttribute('data-verdict'), Number(li.querySelector('.count-n').textContent)]));
      assert.deepEqual(Object.fromEntries(counts), tally);
      assert.match(await page.locator('#batch-total').textContent(), new RegExp(`共 ${expected} 人`));
      await noHorizontalScroll(page);
      await H.screenshot(page, 'batch-result');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /下载核验结果/ }).click()
      ]);
      const file = path.join(H.ARTIFACTS, 'browser-batch-results.csv');
      await download.saveAs(file);
      const bytes = fs.readFileSync(file);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
      const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
      assert.equal(lines.length, expected + 1);
      assert.match(lines[0], /^行号,姓名,证书编号,结论/);
      assert.match(download.suggestedFilename(), /核验结果\.csv$/);
    });

    it('shows the server’s message for a file that is not a roster', async () => {
      const page = await open('/batch');
      await page.locator('#roster').setInputFiles({ name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
      await page.getByRole('button', { name: '开始核验' }).click();
      await page.locator('#batch-error').waitFor();
      assert.ok((await page.locator('#batch-error').textContent()).length > 0);
      assert.ok(await page.locator('#batch-result').isHidden());
    });
  });

  describe('如何识别官方查询 (help)', () => {
    it('names this site’s own origin as the official address', async () => {
      const page = await open('/help');
      await page.locator('.official-origin .origin').waitFor();
      assert.equal(await page.locator('.official-origin .origin').textContent(), fx.base);
      assert.equal(await page.locator('#official-v').textContent(), fx.base + '/v#');
      const text = await page.locator('main').innerText();
      for (const w of ['假查询网站', '公众号', '网信', '公安', '住房和城乡建设局']) assert.ok(text.includes(w), w);
      await noHorizontalScroll(page);
      await H.screenshot(page, 'help');
    });
  });

  describe('every page', () => {
    it('has the shared header, Chinese text, no inline script or style and fits 360 px', async () => {
      for (const url of ['/', '/scan', '/v', '/batch', '/help', '/login']) {
        current = await H.openPage(browser.context, fx.base);
        const page = current.page;
        await page.setViewportSize({ width: 360, height: 740 });
        const res = await page.goto(fx.base + url);
        assert.equal(res.status(), 200, url);
        assert.match(res.headers()['content-security-policy'] || '', /script-src 'self'/, url);
        assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
        const nav = await page.locator('.site-nav li:not(.nav-account) a').allTextContents();
        assert.deepEqual(nav, ['证书查询', '扫码核验', '批量核验', '如何识别官方查询'], url);
        const inline = await page.evaluate(() => ({
          scripts: [...document.scripts].filter((s) => !s.src).length,
          styles: document.querySelectorAll('style, [style]').length
        }));
        assert.deepEqual(inline, { scripts: 0, styles: 0 }, url);
        // every form control has a label
        const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input')]
          .filter((i) => !(i.labels && i.labels.length) && !i.getAttribute('aria-label')).map((i) => i.id));
        assert.deepEqual(unlabelled, [], url);
        await noHorizontalScroll(page);
        await page.close();
        assert.deepEqual(current.problems, [], url);
      }
      current = null;
    });
  });
});
