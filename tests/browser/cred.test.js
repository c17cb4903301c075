// Unit tests of web/static/js/opcert-cred.js under Node, against the
// known-answer vectors of tests/data/cred/kat.txt (docs/CREDENTIAL.md).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const nodeCrypto = require('node:crypto');

const SRC = path.resolve(__dirname, '..', '..');
const C = require(path.join(SRC, 'web/static/js/opcert-cred.js'));

function readKat() {
  const text = fs.readFileSync(path.join(SRC, 'tests/data/cred/kat.txt'), 'utf8');
  const vectors = [];
  let cur = null;
  for (const line of text.split('\n')) {
    if (/^\[vector \d+\]$/.test(line)) {
      cur = {};
      vectors.push(cur);
      continue;
    }
    const m = /^([a-z_.]+) = (.*)$/.exec(line);
    if (cur && m) cur[m[1]] = m[2];
  }
  return vectors;
}

const KAT = readKat();
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

function base45Encode(bytes) {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let v = bytes[i] * 256 + bytes[i + 1];
    out += B45[v % 45];
    v = Math.floor(v / 45);
    out += B45[v % 45] + B45[Math.floor(v / 45)];
  }
  if (bytes.length % 2) {
    const v = bytes[bytes.length - 1];
    out += B45[v % 45] + B45[Math.floor(v / 45)];
  }
  return out;
}

function wrap(cose) {
  return 'OC1:' + base45Encode(zlib.deflateSync(Buffer.from(cose), { level: 9 }));
}

function trustFor(v, period) {
  return {
    keys: [Object.assign({ kid: v.kid, alg: 'Ed25519', pk: C.fromHex(v.pk), not_before: 0, not_after: null }, period)],
    issuers: [{ code: 'I1', name: '贵阳市住房和城乡建设局' }]
  };
}

function dateOf(s) {
  return s === 'none' ? undefined : s;
}

test('KAT vectors are present', () => {
  assert.equal(KAT.length, 2);
});

for (const [i, v] of KAT.entries()) {
  const name = `vector ${i + 1}`;

  test(`${name}: Base45 and zlib give the COSE bytes`, async () => {
    const z = C.base45Decode(v.payload.slice(4));
    const cose = await C.inflate(z);
    assert.equal(C.hex(cose), v.cose);
  });

  test(`${name}: COSE_Sign1 decodes to kid, claims and signature`, () => {
    const m = C.decodeCose(C.fromHex(v.cose));
    assert.equal(m.alg, -8);
    assert.equal(m.kid, v.kid);
    assert.equal(C.hex(m.payload), v.claims_cbor);
    assert.equal(C.hex(m.signature), v.signature);
    // Sig_structure ["Signature1", protected, h'', payload]
    assert.equal(C.hex(m.tbs.subarray(0, 12)), '846a5369676e617475726531');
  });

  test(`${name}: the payload verifies and gives the claims`, async () => {
    const r = await C.verifyCredential(v.payload, trustFor(v));
    assert.equal(r.result, 'ok', r.reason);
    assert.equal(r.kid, v.kid);
    const c = r.claims;
    assert.equal(c.number, v['claims.number']);
    assert.equal(c.name, v.name);
    assert.equal(c.gender_code, Number(v.gender));
    assert.equal(c.id_masked, v['claims.id_masked']);
    assert.equal(c.id_salt, v.salt);
    assert.equal(c.id_hash, v['claims.id_hash']);
    assert.equal(c.trade, v.trade);
    assert.equal(c.issued_on, v.issued_on);
    assert.equal(c.valid_until, v.valid_until);
    assert.equal(c.review_due, dateOf(v.review_due));
    assert.equal(c.issuer_code, v.issuer);
    assert.equal(c.photo_hash, v.photo_hash === 'none' ? undefined : v.photo_hash);
    assert.equal(c.status_index, Number(v.status_index));
    assert.equal(c.iat, Number(v.iat));
    if (v.issuer === 'I1') assert.equal(c.issuer, '贵阳市住房和城乡建设局');
  });

  test(`${name}: the URL is official for its host and carries the payload`, async () => {
    const link = C.classifyLink(v.url, 'https://' + v.host);
    assert.equal(link.kind, 'official');
    assert.equal(link.payload, v.payload);
    assert.equal((await C.verifyCredential(link.payload, trustFor(v))).result, 'ok');
    // the same URL seen from another origin is unofficial and names its host
    const other = C.classifyLink(v.url, 'https://127.0.0.1:8080');
    assert.deepEqual(other, { kind: 'unofficial', host: v.host });
  });

  test(`${name}: surrounding whitespace and a missing prefix are accepted`, async () => {
    assert.equal((await C.verifyCredential('  ' + v.payload + '\n', trustFor(v))).result, 'ok');
    assert.equal((await C.verifyCredential(v.payload.slice(4), trustFor(v))).result, 'ok');
  });

  test(`${name}: every changed character of the payload fails`, async () => {
    const text = v.payload;
    const tl = trustFor(v);
    for (let p = 4; p < text.length; p++) {
      const ch = text[p] === 'A' ? 'B' : 'A';
      const forged = text.slice(0, p) + ch + text.slice(p + 1);
      const r = await C.verifyCredential(forged, tl);
      assert.notEqual(r.result, 'ok', `position ${p}`);
      assert.equal(r.claims, undefined);
    }
  });

  test(`${name}: every changed COSE byte, re-compressed, fails with the right result`, async () => {
    const cose = C.fromHex(v.cose);
    const tl = trustFor(v);
    const kidAt = 8; // d2 84 4d a2 01 27 04 48 <kid>
    const sigAt = cose.length - 64;
    const claimsAt = sigAt - 2 - C.fromHex(v.claims_cbor).length;
    for (let p = 0; p < cose.length; p++) {
      const bad = Uint8Array.from(cose);
      bad[p] ^= 0x01;
      const r = await C.verifyCredential(wrap(bad), tl);
      assert.notEqual(r.result, 'ok', `byte ${p}`);
      if (p >= kidAt && p < kidAt + 8) assert.equal(r.result, 'unknown_key', `kid byte ${p}`);
      if (p >= sigAt || (p >= claimsAt && p < sigAt - 2)) assert.equal(r.result, 'bad_signature', `byte ${p}`);
    }
  });

  test(`${name}: truncations fail`, async () => {
    const tl = trustFor(v);
    for (let n = 4; n < v.payload.length; n += 7) {
      assert.notEqual((await C.verifyCredential(v.payload.slice(0, n), tl)).result, 'ok', `length ${n}`);
    }
  });

  test(`${name}: the key's period is checked against the signed issue time`, async () => {
    const iat = Number(v.iat);
    assert.equal((await C.verifyCredential(v.payload, trustFor(v, { not_before: iat + 1 }))).result, 'key_not_current');
    assert.equal((await C.verifyCredential(v.payload, trustFor(v, { not_after: iat - 1 }))).result, 'key_not_current');
    // both ends are inclusive
    assert.equal((await C.verifyCredential(v.payload, trustFor(v, { not_before: iat, not_after: iat }))).result, 'ok');
  });

  test(`${name}: a key that is not on the trust list is unknown`, async () => {
    assert.equal((await C.verifyCredential(v.payload, { keys: [] })).result, 'unknown_key');
    const other = nodeCrypto.generateKeyPairSync('ed25519');
    const pk = other.publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    // another key claiming the trusted kid
    const tl = { keys: [{ kid: v.kid, alg: 'Ed25519', pk: new Uint8Array(pk), not_before: 0, not_after: null }] };
    assert.equal((await C.verifyCredential(v.payload, tl)).result, 'bad_signature');
  });
}

test('claims re-encoded under the old signature fail', async () => {
  const v = KAT[0];
  const m = C.decodeCose(C.fromHex(v.cose));
  // 王建国 -> 王建军: same length, different last character
  const claims = Buffer.from(m.payload);
  const at = claims.indexOf(Buffer.from('王建国'));
  Buffer.from('王建军').copy(claims, at);
  const cose = Buffer.concat([Buffer.from(C.fromHex(v.cose)).subarray(0, C.fromHex(v.cose).length - 66 - claims.length),
    claims, Buffer.from(m.signature.length === 64 ? [0x58, 0x40] : []), Buffer.from(m.signature)]);
  assert.equal((await C.verifyCredential(wrap(cose), trustFor(v))).result, 'bad_signature');
});

test('malformed inputs are malformed, never ok', async () => {
  const v = KAT[0];
  const tl = trustFor(v);
  const cose = Buffer.from(C.fromHex(v.cose));
  const cases = {
    empty: '',
    prefixOnly: 'OC1:',
    notBase45: 'OC1:abc',
    badLength: 'OC1:' + v.payload.slice(4, 8),
    rawDeflate: 'OC1:' + base45Encode(zlib.deflateRawSync(cose)),
    gzip: 'OC1:' + base45Encode(zlib.gzipSync(cose)),
    trailingBytes: 'OC1:' + base45Encode(Buffer.concat([zlib.deflateSync(cose), Buffer.from([0])])),
    zipBomb: 'OC1:' + base45Encode(zlib.deflateSync(Buffer.alloc(1 << 20))),
    tooLong: 'OC1:' + '0'.repeat(5000),
    untaggedTrailing: wrap(Buffer.concat([cose, Buffer.from([0])])),
    notArray: wrap(Buffer.from([0xd2, 0xa0]))
  };
  for (const [label, text] of Object.entries(cases)) {
    const t0 = Date.now();
    const r = await C.verifyCredential(text, tl);
    assert.equal(r.result, 'malformed', label);
    assert.ok(Date.now() - t0 < 1000, `${label} is quick`);
  }
  // the tag is optional
  assert.equal((await C.verifyCredential(wrap(cose.subarray(1)), tl)).result, 'ok');
});

test('Base45 decoding is strict', () => {
  assert.deepEqual(Array.from(C.base45Decode('BB8')), [0x41, 0x42]);
  assert.equal(new TextDecoder().decode(C.base45Decode('%69 VD92EX0')), 'Hello!!');
  assert.throws(() => C.base45Decode('GGW'), /Base45/); // 65536
  assert.throws(() => C.base45Decode('::'), /Base45/);  // over 255
  assert.throws(() => C.base45Decode('A'), /Base45/);
  assert.throws(() => C.base45Decode('aB8'), /Base45/);
});

test('look-alike links are unofficial and name the host', () => {
  const origin = 'https://official.example';
  const p = 'OC1:ABC';
  const cases = [
    ['https://official.example.evil.com/v#' + p, 'official.example.evil.com'],
    ['https://official.example@evil.com/v#' + p, 'evil.com'],
    ['https://user@official.example/v#' + p, 'official.example'],
    ['https://official.example:443/v#' + p, 'official.example:443'],
    ['http://official.example/v#' + p, 'official.example'],
    ['https://official.example/x#' + p, 'official.example'],
    ['https://official.example/v?x=1#' + p, 'official.example'],
    ['https://official.example./v#' + p, 'official.example.'],
    ['www.evil.com/v#' + p, 'www.evil.com'],
    ['weixin://dl/business/?t=abc', 'dl'],
    ['https://官方.example/v#' + p, '??????.example']
  ];
  for (const [text, host] of cases) {
    assert.deepEqual(C.classifyLink(text, origin), { kind: 'unofficial', host }, text);
  }
  assert.deepEqual(C.classifyLink('HTTPS://OFFICIAL.EXAMPLE/v#OC1:A%20B%25', origin),
    { kind: 'official', payload: 'OC1:A B%' });
  assert.deepEqual(C.classifyLink('  ' + p + '\n', origin), { kind: 'payload', payload: p });
  assert.deepEqual(C.classifyLink('hello', origin), { kind: 'payload', payload: 'hello' });
  assert.deepEqual(C.classifyLink('http://127.0.0.1:8080/v#' + p, 'http://127.0.0.1:8080'),
    { kind: 'official', payload: p });
});

function b64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

async function makeTrustList(mutate) {
  const root = nodeCrypto.generateKeyPairSync('ed25519');
  const rootPk = root.publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const kid = (pk) => nodeCrypto.createHash('sha256').update(pk).digest('hex').slice(0, 16);
  const v = KAT[0];
  const inner = {
    version: 1,
    issued_at: 1735700000,
    root: { kid: kid(rootPk), alg: 'Ed25519', pk: b64url(rootPk) },
    keys: [{ kid: v.kid, alg: 'Ed25519', pk: b64url(C.fromHex(v.pk)), not_before: 1700000000, not_after: null }],
    issuers: [{ code: 'I1', name: '贵阳市住房和城乡建设局' }]
  };
  if (mutate) mutate(inner);
  const payload = Buffer.from(JSON.stringify(inner));
  const sig = nodeCrypto.sign(null, payload, root.privateKey);
  return { payload: b64url(payload), kid: kid(rootPk), alg: 'Ed25519', signature: b64url(sig) };
}

test('a signed trust list verifies and its keys verify credentials', async () => {
  const env = await makeTrustList();
  const tl = await C.verifyTrustList(env);
  assert.equal(tl.keys.length, 1);
  assert.equal(tl.issuers.I1, '贵阳市住房和城乡建设局');
  const r = await C.verifyCredential(KAT[0].payload, tl);
  assert.equal(r.result, 'ok');
  assert.equal(r.claims.issuer, '贵阳市住房和城乡建设局');
});

test('a trust list with a changed payload or signature is refused', async () => {
  const env = await makeTrustList();
  const payload = Buffer.from(env.payload, 'base64url').toString().replace('住房', '住宅');
  await assert.rejects(C.verifyTrustList(Object.assign({}, env, { payload: b64url(Buffer.from(payload)) })), /签名无效/);
  const sig = Buffer.from(env.signature, 'base64url');
  sig[3] ^= 1;
  await assert.rejects(C.verifyTrustList(Object.assign({}, env, { signature: b64url(sig) })), /签名无效/);
  await assert.rejects(C.verifyTrustList(Object.assign({}, env, { kid: '0000000000000000' })), /根密钥/);
  // a key whose kid is not the hash of its pk, signed by the root all the same
  const wrongKid = await makeTrustList((inner) => { inner.keys[0].kid = '0123456789abcdef'; });
  await assert.rejects(C.verifyTrustList(wrongKid), /无效/);
});

// The SM2 vector of tests/data/cred/sm2.txt: listed with its algorithm, it is
// the server's to check; listed under another algorithm it is forged.
function readSm2() {
  const v = {};
  for (const line of fs.readFileSync(path.join(SRC, 'tests/data/cred/sm2.txt'), 'utf8').split('\n')) {
    const m = /^([a-z_.]+) = (.*)$/.exec(line);
    if (m) v[m[1]] = m[2];
  }
  return v;
}

test('an SM2 credential is left to the server, unless its key is of another algorithm', async () => {
  const s = readSm2();
  assert.equal(s.kid.length, 16);
  const env = await makeTrustList((inner) => {
    inner.keys.push({ kid: s.kid, alg: 'SM2', pk: b64url(C.fromHex(s.pk)), not_before: 1700000000, not_after: null });
  });
  const tl = await C.verifyTrustList(env);
  assert.equal(tl.keys.length, 2);
  assert.equal(tl.keys[1].alg, 'SM2');
  assert.equal(tl.keys[1].pk.length, 65);
  // the Ed25519 credentials still verify here with SM2 keys on the list
  assert.equal((await C.verifyCredential(KAT[0].payload, tl)).result, 'ok');
  const r = await C.verifyCredential(s.payload, tl);
  assert.equal(r.result, 'unsupported_alg');
  assert.equal(r.alg, C.ALG_SM2);
  assert.equal(r.alg, -65537);
  assert.equal(r.kid, s.kid);
  assert.equal(r.claims, undefined);
  // its kid listed as an Ed25519 key, or not listed
  const asEd = { keys: [{ kid: s.kid, alg: 'Ed25519', pk: C.fromHex(s.pk).subarray(1, 33), not_before: 0, not_after: null }] };
  assert.equal((await C.verifyCredential(s.payload, asEd)).result, 'bad_signature');
  assert.equal((await C.verifyCredential(s.payload, trustFor(KAT[0]))).result, 'unknown_key');
  // an Ed25519 credential under a kid listed as SM2
  const edAsSm2 = { keys: [{ kid: KAT[0].kid, alg: 'SM2', pk: C.fromHex(s.pk), not_before: 0, not_after: null }] };
  assert.equal((await C.verifyCredential(KAT[0].payload, edAsSm2)).result, 'bad_signature');
  // a trust list whose SM2 key is not a 65-byte point is refused
  const bad = await makeTrustList((inner) => {
    inner.keys.push({ kid: s.kid, alg: 'SM2', pk: b64url(C.fromHex(s.pk).subarray(0, 64)), not_before: 1, not_after: null });
  });
  await assert.rejects(C.verifyTrustList(bad), /无效/);
});

test('Ed25519 is detected in this runtime', async () => {
  assert.equal(await C.ed25519Supported(), true);
});

// The revocation status list (lib/cred/statuslist.h) as the offline pages read it.
async function makeStatusList(opts) {
  const o = opts || {};
  const issuer = nodeCrypto.generateKeyPairSync('ed25519');
  const pk = issuer.publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const kid = nodeCrypto.createHash('sha256').update(pk).digest('hex').slice(0, 16);
  const tl = await C.verifyTrustList(await makeTrustList((inner) => {
    inner.keys.push({ kid, alg: 'Ed25519', pk: b64url(pk), not_before: 1700000000, not_after: o.notAfter || null });
  }));
  const size = 131072;
  const bits = Buffer.alloc(size / 4);
  bits[1000 >> 2] |= 2 << (2 * (1000 % 4)); // revoked
  bits[1001 >> 2] |= 1 << (2 * (1001 % 4)); // suspended
  const inner = { bits: b64url(zlib.deflateSync(o.bits || bits)), issued_at: o.issuedAt || 1750000000, size, type: 'opcert-status', version: 1 };
  const payload = Buffer.from(JSON.stringify(inner));
  const env = { payload: b64url(payload), kid, alg: 'Ed25519', signature: b64url(nodeCrypto.sign(null, payload, issuer.privateKey)) };
  return { tl, env };
}

test('a signed status list verifies and gives each slot its status', async () => {
  const { tl, env } = await makeStatusList();
  const sl = await C.verifyStatusList(env, tl);
  assert.equal(sl.issued_at, 1750000000);
  assert.equal(sl.size, 131072);
  assert.equal(C.statusOf(sl, 1000), 'revoked');
  assert.equal(C.statusOf(sl, 1001), 'suspended');
  assert.equal(C.statusOf(sl, 1002), 'valid');
  assert.equal(C.statusOf(sl, 999), 'valid');
  assert.equal(C.statusOf(sl, 131072), 'valid', 'a slot past the end');
});

test('a status list that is changed, unlisted, out of its key period or short is refused', async () => {
  const { tl, env } = await makeStatusList();
  const changed = Buffer.from(env.payload, 'base64url').toString().replace('1750000000', '1750000001');
  await assert.rejects(C.verifyStatusList(Object.assign({}, env, { payload: b64url(Buffer.from(changed)) }), tl), /签名无效/);
  await assert.rejects(C.verifyStatusList(Object.assign({}, env, { kid: '0000000000000000' }), tl), /不在信任列表/);
  await assert.rejects(C.verifyStatusList(Object.assign({}, env, { alg: 'SM2' }), tl), /算法与签名密钥不符/);
  const late = await makeStatusList({ notAfter: 1740000000 });
  await assert.rejects(C.verifyStatusList(late.env, late.tl), /有效期/);
  const short = await makeStatusList({ bits: Buffer.alloc(100) });
  await assert.rejects(C.verifyStatusList(short.env, short.tl), /数据无效/);
});
