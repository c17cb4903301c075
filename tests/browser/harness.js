// The browser tests' fixture: a demo register, keys and credentials made
// with the opcert CLI, `opcert serve` on a free loopback port, and Debian's
// Chromium driven by playwright-core (no browser is ever downloaded).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const { spawn, execFileSync } = require('node:child_process');

const SRC = path.resolve(__dirname, '..', '..');
const OPCERT = process.env.OPCERT || path.join(SRC, 'build', 'opcert');
const CHROMIUM = process.env.OPCERT_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.resolve(process.env.OPCERT_ARTIFACTS || path.join(SRC, 'build', 'test-artifacts'));

function chinaToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function opcert(args) {
  // `cred issue --jpeg` can abort at exit in cairo's cache teardown
  // (render_release_caches): a crash by signal is retried, an error is not
  for (let attempt = 1; ; attempt++) {
    try {
      return execFileSync(OPCERT, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      if (!e.signal || attempt >= 3) throw e;
    }
  }
}

/* opcert's exit status 1 means "some verdict is not valid": still an answer */
function opcertJson(args) {
  try {
    return JSON.parse(opcert(args));
  } catch (e) {
    if (e.status === 1 && e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

function readCsv(file) {
  return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean).slice(1)
    .map((line) => line.split(','));
}

/* The URL a printed card's QR carries (docs/CREDENTIAL.md, "The URL form"). */
function credUrl(base, payload) {
  return base + '/v#' + payload.replace(/%/g, '%25').replace(/ /g, '%20');
}

function get(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
  });
}

async function waitHealthy(base, proc, log) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode}):\n${log()}`);
    try {
      const r = await get(base + '/healthz');
      if (r.status === 200) return;
    } catch (e) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer /healthz:\n${log()}`);
}

/*
 * Builds the fixture and starts the server.  Returns {base, dir, today,
 * valid, revoked, files, payloads, stop()}.  opts.sm2 === false: the
 * issuing key stays Ed25519 (no payloads.sm2), so that browsers can check
 * the status list it signs.
 */
async function setup(opts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opcert-browser-'));
  try {
    return await build(dir, opts || {});
  } catch (e) {
    if (!process.env.OPCERT_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function build(dir, opts) {
  if (!fs.existsSync(OPCERT)) throw new Error(`${OPCERT} not found: build opcert first (or set OPCERT)`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: scripts/deps.sh installs Debian's chromium`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const base = `http://${host}`;
  const today = process.env.OPCERT_TODAY || chinaToday();
  const db = path.join(dir, 'opcert.db');
  const keys = path.join(dir, 'keys');
  const demo = path.join(dir, 'demo');

  opcert(['init', '--official-host', host, '--db', db]);
  opcert(['demo', '--certificates', '200', '--roster', '20', '--today', today, '--import', '--db', db, '--out', demo]);
  opcert(['key', 'init', '--db', db, '--keys', keys]);

  // One account with a set password per role the tests sign in as, and one
  // with a generated one-time password (the last line `user add` prints).
  const password = 'Browser-pass-2026x';
  const accounts = { password };
  for (const [login, role, scope] of [['b.admin', 'city_admin'], ['b.officer', 'district_officer', '云岩区']]) {
    execFileSync(OPCERT, ['user', 'add', login, '--role', role].concat(scope ? ['--district', scope] : [])
      .concat(['--password-stdin', '--db', db]), { input: password + '\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  }
  accounts.freshOtp = opcert(['user', 'add', 'b.fresh', '--role', 'city_officer', '--db', db]).trim().split('\n').pop().trim();

  // a certificate that verifies as valid today, and a revoked one
  const clean = readCsv(path.join(demo, 'roster-clean.csv'));
  let valid = null;
  for (const row of clean) {
    const number = row[5], name = row[1];
    if (!/^黔A/.test(number)) continue;
    const v = opcertJson(['verify', '--number', number, '--name', name, '--format', 'json', '--today', today, '--db', db]);
    if (v.verdict === 'valid') {
      valid = { number, name, id: row[3] };
      break;
    }
  }
  if (!valid) throw new Error('no valid construction certificate in the demo roster');
  const revokedRow = readCsv(path.join(demo, 'register.csv')).find((r) => r[9] === '注销');
  if (!revokedRow) throw new Error('no revoked certificate in the demo register');
  const revoked = { number: revokedRow[0], name: revokedRow[1] };

  const files = {
    qr: path.join(dir, 'q.png'),
    card: path.join(dir, 'card.jpg'),
    forgedCard: path.join(dir, 'forged-card.jpg'),
    forgedQr: path.join(dir, 'forged-q.png'),
    lookalikeQr: path.join(dir, 'lookalike-q.png'),
    roster: path.join(demo, 'roster-violations.csv')
  };
  const payloads = {};
  payloads.genuine = opcert(['cred', 'issue', valid.number, '--png', files.qr, '--jpeg', files.card,
    '--db', db, '--keys', keys, '--today', today]).trim().split('\n').find((l) => l.startsWith('OC1:'));
  // Then an SM2 issuing key (which browsers leave to the server) and a credential signed with it;
  // the one above stays valid under the retired Ed25519 key.
  if (opts.sm2 !== false) {
    opcert(['key', 'rotate', '--alg', 'sm2', '--db', db, '--keys', keys]);
    payloads.sm2 = opcert(['cred', 'issue', valid.number, '--db', db, '--keys', keys, '--today', today])
      .trim().split('\n').find((l) => l.startsWith('OC1:'));
  }

  // A counterfeiter's copy: the same register and card layout, the genuine
  // site's address in the QR, signed with a key that is not on the trust list.
  const fdb = path.join(dir, 'fake.db');
  const fkeys = path.join(dir, 'fake-keys');
  opcert(['init', '--official-host', host, '--db', fdb]);
  opcert(['demo', '--certificates', '200', '--roster', '20', '--today', today, '--import', '--db', fdb,
    '--out', path.join(dir, 'fake-demo')]);
  opcert(['key', 'init', '--db', fdb, '--keys', fkeys]);
  payloads.forged = opcert(['cred', 'issue', valid.number, '--png', files.forgedQr, '--jpeg', files.forgedCard,
    '--db', fdb, '--keys', fkeys, '--today', today]).trim().split('\n').find((l) => l.startsWith('OC1:'));
  // ... and its look-alike query site
  payloads.lookalikeHost = 'gyzjj-verify.example.com';
  opcert(['config', 'set', 'official-host', payloads.lookalikeHost, '--db', fdb]);
  opcert(['cred', 'issue', valid.number, '--png', files.lookalikeQr, '--db', fdb, '--keys', fkeys, '--today', today]);

  const logFile = path.join(dir, 'server.log');
  const out = fs.openSync(logFile, 'a');
  const proc = spawn(OPCERT, ['serve', '--listen', host, '--web', path.join(SRC, 'web'), '--db', db, '--keys', keys,
    '--rate-limit', '0', '--sign-in-rate', '0', '--today', today], { stdio: ['ignore', out, out] });
  const log = () => fs.readFileSync(logFile, 'utf8').slice(-4000);
  try {
    await waitHealthy(base, proc, log);
  } catch (e) {
    proc.kill('SIGKILL');
    fs.closeSync(out);
    throw e;
  }

  let stopped = false;
  async function stop() {
    if (stopped) return; // a test may stop the server before teardown does
    stopped = true;
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    fs.closeSync(out);
    if (!process.env.OPCERT_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
  }

  return { base, host, dir, today, valid, revoked, files, payloads, accounts, log, stop };
}

/* Chromium with a fresh profile; a phone-sized page (390 x 844).  extraArgs:
 * more command-line switches (a fake camera). */
async function launch(extraArgs) {
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'opcert-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'].concat(extraArgs || []),
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true
  });
  context.setDefaultTimeout(15000);
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  };
}

/*
 * A new page that records what would make a test fail silently: script
 * errors, CSP violations, requests to anywhere but the server.
 */
async function openPage(context, base) {
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) {
      problems.push('console: ' + m.text());
    }
  });
  page.on('request', (r) => {
    requests.push(r.method() + ' ' + r.url());
    const u = r.url();
    if (!u.startsWith(base + '/') && !u.startsWith('blob:') && !u.startsWith('data:') && u !== 'about:blank') {
      problems.push('request to another site: ' + u);
    }
  });
  return { page, problems, requests };
}

/* Sign in through the login page; resolves once the page it leads to is open. */
async function signIn(page, base, login, password, next) {
  await page.goto(base + '/login' + (next ? '?next=' + encodeURIComponent(next) : ''));
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.locator('#login-submit').click()]);
}

async function signOut(page, base) {
  await page.request.post(base + '/api/v1/session/logout', {
    headers: { 'X-CSRF-Token': (await (await page.request.get(base + '/api/v1/session')).json()).csrf || '' }
  });
}

async function screenshot(page, name) {
  const file = path.join(ARTIFACTS, `browser-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/* After a test: sign the page's user out (when signedIn), close the page and
 * check it saw no script error, CSP violation or outside request. */
async function endPage(current, fx, signedIn) {
  if (!current) return;
  const { page, problems } = current;
  if (signedIn) await signOut(page, fx.base).catch(() => {});
  await page.close();
  assert.deepEqual(problems, [], 'no script errors, CSP violations or outside requests');
}

/* After a file: the browser and the server stopped. */
async function teardown(browser, fx) {
  if (browser) await browser.close();
  if (fx) await fx.stop();
}

/* Run the opcert command line on the fixture's database; its stdout. */
function cli(fx, args, input) {
  return execFileSync(OPCERT, args.concat(['--db', path.join(fx.dir, 'opcert.db')]),
    { input: input || '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

module.exports = {
  SRC, ARTIFACTS, setup, launch, openPage, screenshot, credUrl, opcertJson, get, signIn, signOut, cli, endPage, teardown
};
