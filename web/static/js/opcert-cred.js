/*
 * opcert-cred.js - verifying an opcert signed credential (docs/CREDENTIAL.md)
 * in the browser, and in Node for the tests.
 *
 *   "OC1:" + Base45 -> zlib -> COSE_Sign1 (Ed25519, kid) -> claims (CBOR map)
 *
 * The order of the checks is the one lib/cred.c follows, and so are the
 * results: ok, malformed, unsupported_alg, unknown_key, bad_signature,
 * key_not_current.  No field of the claims is read before the signature has
 * verified under a key of the trust list, and the trust list itself is read
 * only after its own signature has verified under its root key.
 *
 * SM2 credentials (COSE alg -65537, SM2 with SM3) are not checked here: a
 * trust list may list SM2 issuing keys, and an SM2 credential whose key is
 * on it as an SM2 key comes back as unsupported_alg, for the server to check
 * (a key of another algorithm under its kid is bad_signature, as in C).
 *
 * Plain functions, no dependencies: WebCrypto (Ed25519, SHA-256),
 * DecompressionStream and TextDecoder, which browsers and Node 20 both have.
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) {
    module.exports = factory();
  } else {
    root.OpcertCred = factory();
  }
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  var PREFIX = 'OC1:';
  var TEXT_MAX = 4096;     /* payload text, prefix included */
  var COSE_MAX = 4096;     /* inflated COSE bytes */
  var SCAN_MAX = 16384;    /* what a scanner read */
  var HOST_MAX = 255;
  var HDR_MAX = 64;
  var SIG_MAX = 132;
  var PAYLOAD_MAX = 4096;
  var ALG_EDDSA = -8;
  var ALG_SM2 = -65537;    /* this project's private-use value (docs/CREDENTIAL.md) */
  var B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  /* day numbers of 1900-01-01 and 2199-12-31 */
  var DAY_MIN = Date.UTC(1900, 0, 1) / 86400000;
  var DAY_MAX = Date.UTC(2199, 11, 31) / 86400000;

  /* A failure with one of the result codes above. */
  function CredError(result, reason) {
    var e = new Error(reason);
    e.name = 'CredError';
    e.result = result;
    return e;
  }

  /* The browser cannot do a step (no Ed25519, no DecompressionStream):
   * not a verdict, the caller asks the server instead. */
  function unsupported(what) {
    var e = new Error(what);
    e.name = 'Unsupported';
    e.unsupported = true;
    return e;
  }

  function webCrypto() {
    var c = typeof globalThis !== 'undefined' ? globalThis.crypto : undefined;
    return c && c.subtle ? c.subtle : null;
  }

  /* ---- bytes ----------------------------------------------------------- */

  function hex(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return s;
  }

  function fromHex(s) {
    if (typeof s !== 'string' || s.length % 2 || /[^0-9a-fA-F]/.test(s)) throw new Error('not hex');
    var out = new Uint8Array(s.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
    return out;
  }

  function concat(parts) {
    var n = 0, i;
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    var out = new Uint8Array(n), o = 0;
    for (i = 0; i < parts.length; i++) { out.set(parts[i], o); o += parts[i].length; }
    return out;
  }

  /* Unpadded base64url, strictly: the exact length, no stray bits. */
  function b64urlDecode(s) {
    if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) {
      throw new Error('not unpadded base64url');
    }
    var map = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    var out = new Uint8Array(Math.floor(s.length * 3 / 4));
    var bits = 0, acc = 0, o = 0;
    for (var i = 0; i < s.length; i++) {
      acc = (acc << 6) | map.indexOf(s[i]);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (acc >> bits) & 0xff;
      }
    }
    if (acc & ((1 << bits) - 1)) throw new Error('base64url with stray bits');
    return out;
  }

  /* ---- Base45 (RFC 9285), strict as lib/b45.c ---------------------------- */

  function base45Decode(text) {
    var n = text.length;
    if (n % 3 === 1) throw CredError('malformed', 'Base45 长度错误');
    var out = new Uint8Array(Math.floor(n / 3) * 2 + (n % 3 === 2 ? 1 : 0));
    var o = 0;
    for (var i = 0; i < n; i += 3) {
      var c = B45.indexOf(text[i]), d = B45.indexOf(text[i + 1]);
      if (c < 0 || d < 0) throw CredError('malformed', 'Base45 含非法字符');
      var v = c + d * 45;
      if (i + 2 < n) {
        var e = B45.indexOf(text[i + 2]);
        if (e < 0) throw CredError('malformed', 'Base45 含非法字符');
        v += e * 45 * 45;
        if (v > 65535) throw CredError('malformed', 'Base45 分组超出范围');
        out[o++] = v >> 8;
        out[o++] = v & 0xff;
      } else {
        if (v > 255) throw CredError('malformed', 'Base45 末尾超出范围');
        out[o++] = v;
      }
    }
    return out;
  }

  /* ---- zlib ------------------------------------------------------------- */

  function adler32(bytes) {
    var a = 1, b = 0;
    for (var i = 0; i < bytes.length; i++) {
      a = (a + bytes[i]) % 65521;
      b = (b + a) % 65521;
    }
    return ((b << 16) | a) >>> 0;
  }

  /*
   * One complete zlib stream (header and Adler-32, not raw deflate, not
   * gzip) inflated into at most cap bytes; reading stops at the cap, so a
   * zip bomb costs nothing.  The stream must end where the input ends: its
   * last four bytes are the Adler-32 of what it inflated to.
   */
  async function inflate(bytes, cap) {
    if (cap === undefined) cap = COSE_MAX;
    if (typeof DecompressionStream !== 'function') throw unsupported('DecompressionStream');
    if (bytes.length < 6 || (bytes[0] & 0x0f) !== 8 || ((bytes[0] << 8) | bytes[1]) % 31 !== 0) {
      throw CredError('malformed', '不是 zlib 数据');
    }
    var ds;
    try {
      ds = new DecompressionStream('deflate');
    } catch (e) {
      throw unsupported('DecompressionStream deflate');
    }
    var writer = ds.writable.getWriter();
    writer.write(bytes).catch(function () {});
    writer.close().catch(function () {});
    var reader = ds.readable.getReader();
    var chunks = [], total = 0;
    try {
      for (;;) {
        var r = await reader.read();
        if (r.done) break;
        total += r.value.length;
        if (total > cap) {
          reader.cancel().catch(function () {});
          throw CredError('malformed', '解压后超过 ' + cap + ' 字节');
        }
        chunks.push(r.value);
      }
    } catch (e) {
      if (e && e.name === 'CredError') throw e;
      throw CredError('malformed', '解压失败');
    }
    var out = concat(chunks);
    var n = bytes.length;
    var tail = ((bytes[n - 4] << 24) | (bytes[n - 3] << 16) | (bytes[n - 2] << 8) | bytes[n - 1]) >>> 0;
    if (tail !== adler32(out)) throw CredError('malformed', 'zlib 数据之后还有多余内容');
    return out;
  }

  /* ---- CBOR: a strict reader for the few shapes a credential has --------- */

  /*
   * Reads one item at pos.  Only definite lengths and shortest heads; no
   * tags, floats or simple values; at most maxDepth nested containers.
   * Returns {type, value, end}: type 'uint' | 'nint' | 'bytes' | 'text' |
   * 'array' | 'map'; a map's value is a list of [key, value] items.
   */
  function cborRead(b, pos, maxDepth) {
    if (pos >= b.length) throw CredError('malformed', 'CBOR 数据不完整');
    var ib = b[pos++], major = ib >> 5, ai = ib & 31, arg;
    if (ai < 24) {
      arg = ai;
    } else if (ai <= 27) {
      var len = 1 << (ai - 24);
      if (pos + len > b.length) throw CredError('malformed', 'CBOR 数据不完整');
      arg = 0;
      for (var i = 0; i < len; i++) arg = arg * 256 + b[pos + i];
      pos += len;
      var min = ai === 24 ? 24 : ai === 25 ? 0x100 : ai === 26 ? 0x10000 : 0x100000000;
      if (arg < min) throw CredError('malformed', 'CBOR 不是最短编码');
    } else {
      throw CredError('malformed', 'CBOR 不定长或保留编码');
    }
    switch (major) {
      case 0:
        return { type: 'uint', value: arg, end: pos };
      case 1:
        return { type: 'nint', value: -1 - arg, end: pos };
      case 2:
      case 3: {
        if (arg > b.length - pos) throw CredError('malformed', 'CBOR 长度超出数据');
        var raw = b.subarray(pos, pos + arg);
        var v = raw;
        if (major === 3) {
          try {
            v = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
          } catch (e) {
            throw CredError('malformed', 'CBOR 文本不是 UTF-8');
          }
        }
        return { type: major === 2 ? 'bytes' : 'text', value: v, raw: raw, end: pos + arg };
      }
      case 4:
      case 5: {
        var count = major === 5 ? arg * 2 : arg;
        if (count > b.length - pos) throw CredError('malformed', 'CBOR 长度超出数据');
        if (count > 0 && maxDepth < 1) throw CredError('malformed', 'CBOR 嵌套过深');
        var items = [];
        for (var k = 0; k < count; k++) {
          var it = cborRead(b, pos, maxDepth - 1);
          items.push(it);
          pos = it.end;
        }
        if (major === 4) return { type: 'array', value: items, end: pos };
        var pairs = [];
        for (var j = 0; j < items.length; j += 2) pairs.push([items[j], items[j + 1]]);
        return { type: 'map', value: pairs, end: pos };
      }
      default:
        throw CredError('malformed', 'CBOR 含标签、浮点数或简单值');
    }
  }

  /* A whole buffer holding exactly one item. */
  function cborDecode(b, maxDepth) {
    var it = cborRead(b, 0, maxDepth);
    if (it.end !== b.length) throw CredError('malformed', 'CBOR 之后还有多余内容');
    return it;
  }

  function cborHead(major, n) {
    if (n < 24) return new Uint8Array([(major << 5) | n]);
    if (n < 0x100) return new Uint8Array([(major << 5) | 24, n]);
    if (n < 0x10000) return new Uint8Array([(major << 5) | 25, n >> 8, n & 0xff]);
    return new Uint8Array([(major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  }

  function isInt(it) {
    return it.type === 'uint' || it.type === 'nint';
  }

  /* ---- COSE_Sign1 -------------------------------------------------------- */

  /*
   * The message as lib/cose.c reads it: an optional one-byte tag 18, an array
   * of four (protected bstr, unprotected map, payload bstr, signature bstr);
   * the protected header a map with alg (1) and an 8-byte kid (4), each once,
   * and no crit (2); the unprotected one without alg, kid or crit.  Returns
   * {alg, kid (hex), protectedBytes, payload, signature, tbs}, where tbs is
   * the Sig_structure ["Signature1", protected, h'', payload].
   */
  function decodeCose(bytes) {
    if (!bytes || bytes.length === 0 || bytes.length > 8192) throw CredError('malformed', 'COSE 消息为空或过长');
    var b = bytes[0] === 0xd2 ? bytes.subarray(1) : bytes;
    if (b.length === 0 || b[0] !== 0x84) throw CredError('malformed', '不是 COSE_Sign1 消息');
    var arr = cborDecode(b, 4).value;
    var prot = arr[0], unprot = arr[1], payload = arr[2], sig = arr[3];
    if (prot.type !== 'bytes' || payload.type !== 'bytes' || sig.type !== 'bytes') {
      throw CredError('malformed', 'COSE_Sign1 字段类型错误');
    }
    if (payload.value.length === 0 || payload.value.length > PAYLOAD_MAX) {
      throw CredError('malformed', 'COSE 载荷长度错误');
    }
    if (sig.value.length === 0 || sig.value.length > SIG_MAX) throw CredError('malformed', 'COSE 签名长度错误');

    var p = prot.value;
    if (p.length === 0 || p.length > HDR_MAX) throw CredError('malformed', 'COSE 受保护头格式错误');
    var hdr = cborDecode(p, 2);
    if (hdr.type !== 'map') throw CredError('malformed', 'COSE 受保护头不是映射');
    var alg = null, kid = null;
    hdr.value.forEach(function (pair) {
      var k = pair[0], v = pair[1];
      if (!isInt(k)) return; /* a text label: not ours, not critical */
      if (k.value === 2) throw CredError('malformed', 'COSE 含不认识的关键头参数');
      if (k.value === 1) {
        if (alg !== null || !isInt(v)) throw CredError('malformed', 'COSE 算法参数错误');
        alg = v.value;
      } else if (k.value === 4) {
        if (kid !== null || v.type !== 'bytes' || v.value.length !== 8) {
          throw CredError('malformed', 'COSE 密钥标识错误');
        }
        kid = hex(v.value);
      }
    });
    if (alg === null || kid === null) throw CredError('malformed', 'COSE 受保护头缺少算法或密钥标识');
    if (unprot.type !== 'map') throw CredError('malformed', 'COSE 非保护头不是映射');
    unprot.value.forEach(function (pair) {
      var k = pair[0];
      if (isInt(k) && (k.value === 1 || k.value === 2 || k.value === 4)) {
        throw CredError('malformed', 'COSE 非保护头含算法、密钥标识或关键头参数');
      }
    });
    var context = new Uint8Array([0x6a, 0x53, 0x69, 0x67, 0x6e, 0x61, 0x74, 0x75, 0x72, 0x65, 0x31]);
    var tbs = concat([new Uint8Array([0x84]), context, cborHead(2, p.length), p, new Uint8Array([0x40]),
      cborHead(2, payload.value.length), payload.value]);
    return { alg: alg, kid: kid, protectedBytes: p, payload: payload.value, signature: sig.value, tbs: tbs };
  }

  /* ---- claims ------------------------------------------------------------ */

  function dayToDate(day) {
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }

  function cleanText(s, maxBytes) {
    if (typeof s !== 'string' || s.length === 0) return false;
    if (/[\u0000-\u001f\u007f]/.test(s)) return false;
    return new TextEncoder().encode(s).length <= maxBytes;
  }

  function token(s, maxBytes) {
    return typeof s === 'string' && s.length > 0 && s.length <= maxBytes && /^[\x21-\x7e]+$/.test(s);
  }

  /*
   * The claims map of a payload whose signature has verified: definite,
   * keys 0..14 strictly ascending, every value of its one type, every key
   * but 10 (review_due) and 12 (photo_hash) present.
   */
  function decodeClaims(bytes) {
    var map = cborDecode(bytes, 1);
    if (map.type !== 'map') throw CredError('malformed', '凭证内容不是映射');
    var c = {}, prev = -1;
    function text(v, maxBytes) {
      if (v.type !== 'text' || !cleanText(v.value, maxBytes)) throw CredError('malformed', '凭证文本字段错误');
      return v.value;
    }
    function bytes16(v) {
      if (v.type !== 'bytes' || v.value.length !== 16) throw CredError('malformed', '凭证哈希字段错误');
      return hex(v.value);
    }
    function uint(v, max) {
      if (v.type !== 'uint' || v.value > max) throw CredError('malformed', '凭证整数字段错误');
      return v.value;
    }
    function day(v) {
      if (!isInt(v) || v.value < DAY_MIN || v.value > DAY_MAX) throw CredError('malformed', '凭证日期字段错误');
      return dayToDate(v.value);
    }
    map.value.forEach(function (pair) {
      var k = pair[0], v = pair[1];
      if (k.type !== 'uint' || k.value > 14 || k.value <= prev) throw CredError('malformed', '凭证字段顺序错误');
      prev = k.value;
      switch (k.value) {
        case 0: c.version = uint(v, 1); break;
        case 1: c.number = text(v, 31); break;
        case 2: c.name = text(v, 95); break;
        case 3: c.gender_code = uint(v, 2); break;
        case 4:
          c.id_masked = text(v, 18);
          if (!/^[0-9X*]{18}$/.test(c.id_masked)) throw CredError('malformed', '凭证的脱敏身份证号格式错误');
          break;
        case 5: c.id_salt = bytes16(v); break;
        case 6: c.id_hash = bytes16(v); break;
        case 7:
          c.trade = text(v, 7);
          if (!token(c.trade, 7)) throw CredError('malformed', '凭证的工种代码错误');
          break;
        case 8: c.issued_on = day(v); break;
        case 9: c.valid_until = day(v); break;
        case 10: c.review_due = day(v); break;
        case 11:
          c.issuer_code = text(v, 15);
          if (!token(c.issuer_code, 15)) throw CredError('malformed', '凭证的发证机关代码错误');
          break;
        case 12: c.photo_hash = bytes16(v); break;
        case 13: c.status_index = uint(v, 0xffffffff); break;
        case 14: c.iat = uint(v, Number.MAX_SAFE_INTEGER); break;
      }
    });
    var required = ['version', 'number', 'name', 'gender_code', 'id_masked', 'id_salt', 'id_hash', 'trade',
      'issued_on', 'valid_until', 'issuer_code', 'status_index', 'iat'];
    required.forEach(function (f) {
      if (!(f in c)) throw CredError('malformed', '凭证缺少字段');
    });
    if (c.version !== 1) throw CredError('malformed', '凭证版本不受支持');
    if (c.gender_code !== 1 && c.gender_code !== 2) throw CredError('malformed', '凭证的性别无效');
    c.gender = c.gender_code === 1 ? '男' : '女';
    return c;
  }

  /* ---- Ed25519 and SHA-256 through WebCrypto ------------------------------ */

  var ed25519Cache = null;

  /* Whether this browser verifies Ed25519 signatures (asked once). */
  function ed25519Supported() {
    if (ed25519Cache) return ed25519Cache;
    var subtle = webCrypto();
    if (!subtle) return (ed25519Cache = Promise.resolve(false));
    var pk = fromHex('03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8');
    ed25519Cache = subtle.importKey('raw', pk, { name: 'Ed25519' }, false, ['verify'])
      .then(function (key) {
        return subtle.verify({ name: 'Ed25519' }, key, new Uint8Array(64), new Uint8Array(1));
      })
      .then(function (ok) { return ok === false; }, function () { return false; });
    return ed25519Cache;
  }

  async function ed25519Verify(pk, sig, msg) {
    var subtle = webCrypto();
    if (!subtle) throw unsupported('WebCrypto');
    var key;
    try {
      key = await subtle.importKey('raw', pk, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      if (e && e.name === 'NotSupportedError') throw unsupported('Ed25519');
      return false; /* a key that is not a point */
    }
    try {
      return await subtle.verify({ name: 'Ed25519' }, key, sig, msg);
    } catch (e) {
      return false;
    }
  }

  /* A key id: the first 8 bytes of SHA-256 of the public key, in hex. */
  async function keyId(pk) {
    var subtle = webCrypto();
    if (!subtle) throw unsupported('WebCrypto');
    var h = new Uint8Array(await subtle.digest('SHA-256', pk));
    return hex(h.subarray(0, 8));
  }

  /* ---- the trust list ------------------------------------------------------ */

  function validTime(t) {
    return typeof t === 'number' && Number.isInteger(t) && t >= 0 && t < 9007199254740992;
  }

  /* One issuing key of a trust list, its pk as bytes. */
  function normaliseKey(k) {
    var pk = typeof k.pk === 'string' ? b64urlDecode(k.pk) : new Uint8Array(k.pk);
    return {
      kid: k.kid,
      alg: k.alg,
      pk: pk,
      not_before: k.not_before,
      not_after: k.not_after === undefined ? null : k.not_after
    };
  }

  function issuerMap(issuers) {
    var m = {};
    if (Array.isArray(issuers)) {
      issuers.forEach(function (i) {
        if (i && typeof i.code === 'string' && typeof i.name === 'string') m[i.code] = i.name;
      });
    } else if (issuers && typeof issuers === 'object') {
      Object.keys(issuers).forEach(function (code) {
        if (typeof issuers[code] === 'string') m[code] = issuers[code];
      });
    }
    return m;
  }

  /*
   * The signed trust list envelope {payload, kid, alg, signature}: the
   * signature is checked over the payload's bytes exactly as decoded, with
   * the embedded root key (or pinnedRootPk when given), before anything
   * else of the payload is read.  Returns {issued_at, root, keys, issuers}.
   */
  async function verifyTrustList(envelope, pinnedRootPk) {
    if (!envelope || typeof envelope !== 'object') throw new Error('信任列表格式错误');
    if (envelope.alg !== 'Ed25519' || !/^[0-9a-f]{16}$/.test(envelope.kid || '')) {
      throw new Error('信任列表的签名算法或密钥标识错误');
    }
    var payloadBytes = b64urlDecode(envelope.payload);
    var sig = b64urlDecode(envelope.signature);
    var inner;
    try {
      inner = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
    } catch (e) {
      throw new Error('信任列表内容不是 JSON');
    }
    /* only the embedded root is read before the signature, as the format allows */
    var rootPk = pinnedRootPk ? new Uint8Array(pinnedRootPk)
      : b64urlDecode(inner && inner.root && inner.root.pk);
    if (rootPk.length !== 32 || (await keyId(rootPk)) !== envelope.kid) {
      throw new Error('信任列表的根密钥与签名密钥标识不符');
    }
    if (!(await ed25519Verify(rootPk, sig, payloadBytes))) throw new Error('信任列表的签名无效');
    /* from here on the payload is the root's */
    if (inner.version !== 1 || !inner.root || inner.root.kid !== envelope.kid || inner.root.alg !== 'Ed25519' ||
        hex(b64urlDecode(inner.root.pk)) !== hex(rootPk) || !Array.isArray(inner.keys) ||
        !validTime(inner.issued_at)) {
      throw new Error('信任列表内容错误');
    }
    var keys = [];
    for (var i = 0; i < inner.keys.length; i++) {
      var k = normaliseKey(inner.keys[i]);
      var pkOk = k.alg === 'Ed25519' ? k.pk.length === 32
        : k.alg === 'SM2' && k.pk.length === 65 && k.pk[0] === 4;
      if (!pkOk || (await keyId(k.pk)) !== k.kid ||
          !validTime(k.not_before) || (k.not_after !== null && (!validTime(k.not_after) || k.not_after < k.not_before))) {
        throw new Error('信任列表中的密钥 ' + k.kid + ' 无效');
      }
      keys.push(k);
    }
    return { issued_at: inner.issued_at, root: { kid: envelope.kid, pk: rootPk }, keys: keys, issuers: issuerMap(inner.issuers) };
  }

  function findKey(trustList, kid) {
    var keys = (trustList && trustList.keys) || [];
    for (var i = 0; i < keys.length; i++) if (keys[i].kid === kid) return normaliseKey(keys[i]);
    return null;
  }

  /* ---- the revocation status list ---------------------------------------- */

  var STATUS_MAX_ENTRIES = 1 << 26; /* lib/statuslist.h STATUSLIST_MAX_ENTRIES */

  /*
   * The signed status list envelope {payload, kid, alg, signature} (lib/
   * statuslist.h), checked as statuslist_parse() does: the signing key is
   * on the (already verified) trust list with the envelope's algorithm, the
   * signature holds over the payload's bytes, and only then the payload is
   * read; its issued_at lies within the key's period.  Resolves to {kid,
   * issued_at, size, bits}.  An SM2-signed list rejects with err.unsupported
   * (browsers here check Ed25519 only).
   */
  async function verifyStatusList(envelope, trustList) {
    if (!envelope || typeof envelope !== 'object' || typeof envelope.payload !== 'string' ||
        typeof envelope.signature !== 'string' || !/^[0-9a-f]{16}$/.test(envelope.kid || '')) {
      throw new Error('状态列表格式错误');
    }
    if (envelope.alg !== 'Ed25519' && envelope.alg !== 'SM2') throw new Error('状态列表的签名算法不受支持');
    var key = findKey(trustList, envelope.kid);
    if (!key) throw new Error('状态列表由不在信任列表中的密钥签名');
    if (key.alg !== envelope.alg) throw new Error('状态列表的签名算法与签名密钥不符');
    if (key.alg !== 'Ed25519') throw unsupported('SM2');
    var payloadBytes = b64urlDecode(envelope.payload);
    var sig = b64urlDecode(envelope.signature);
    if (sig.length !== 64 || !(await ed25519Verify(key.pk, sig, payloadBytes))) throw new Error('状态列表签名无效');
    /* verified: only now read what it says */
    var inner;
    try {
      inner = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
    } catch (e) {
      throw new Error('状态列表内容无效');
    }
    if (!inner || inner.version !== 1 || inner.type !== 'opcert-status' || !validTime(inner.issued_at) ||
        typeof inner.bits !== 'string') {
      throw new Error('状态列表内容无效');
    }
    if (inner.issued_at < key.not_before || (key.not_after !== null && inner.issued_at > key.not_after)) {
      throw new Error('状态列表的签名时间不在签名密钥的有效期内');
    }
    var size = inner.size;
    if (!Number.isInteger(size) || size <= 0 || size > STATUS_MAX_ENTRIES || size % 4) {
      throw new Error('状态列表大小无效');
    }
    var bits;
    try {
      bits = await inflate(b64urlDecode(inner.bits), size / 4);
    } catch (e) {
      if (e && e.unsupported) throw e;
      throw new Error('状态列表数据无效');
    }
    if (bits.length !== size / 4) throw new Error('状态列表数据无效');
    return { kid: envelope.kid, issued_at: inner.issued_at, size: size, bits: bits };
  }

  /* Entry slot of a verified status list: 'valid', 'suspended' or 'revoked'
   * (a slot past the end is valid, as statuslist_get() has it). */
  function statusOf(list, slot) {
    if (!Number.isInteger(slot) || slot < 0 || slot >= list.size) return 'valid';
    var v = (list.bits[Math.floor(slot / 4)] >> (2 * (slot % 4))) & 3;
    return v === 1 ? 'suspended' : v === 2 ? 'revoked' : 'valid';
  }

  /* ---- verifying a credential ---------------------------------------------- */

  function trimSpace(s) {
    return s.replace(/^[ \t\r\n\v\f]+/, '').replace(/[ \t\r\n\v\f]+$/, '');
  }

  /*
   * Verifies an "OC1:..." text (the prefix is optional, surrounding
   * whitespace ignored) against a trust list (what verifyTrustList returns,
   * or its payload's shape with pk in base64url).  Resolves to {result,
   * reason, kid?, alg?, iat?, claims?}; claims only with result 'ok'.  Rejects
   * with err.unsupported when this runtime cannot check the signature.
   */
  async function verifyCredential(payloadText, trustList) {
    var text = typeof payloadText === 'string' ? payloadText : '';
    var out = { result: 'malformed', reason: '' };
    try {
      if (text.length > TEXT_MAX + 64) throw CredError('malformed', '凭证过长');
      text = trimSpace(text);
      if (text.length > TEXT_MAX) throw CredError('malformed', '凭证过长');
      if (text.slice(0, PREFIX.length) === PREFIX) text = text.slice(PREFIX.length);
      if (text.length === 0) throw CredError('malformed', '凭证为空');
      var z = base45Decode(text);
      var cose = await inflate(z, COSE_MAX);
      if (cose.length === 0) throw CredError('malformed', 'COSE 消息为空');
      var m = decodeCose(cose);
      out.kid = m.kid;
      out.alg = m.alg;
      if (m.alg !== ALG_EDDSA && m.alg !== ALG_SM2) throw CredError('unsupported_alg', '签名算法不受支持');
      var key = findKey(trustList, m.kid);
      if (!key) throw CredError('unknown_key', '签名密钥不在信任列表中');
      if (m.alg === ALG_SM2) {
        if (key.alg !== 'SM2' || key.pk.length !== 65) throw CredError('bad_signature', '密钥的算法与凭证不符');
        throw CredError('unsupported_alg', 'SM2 签名由服务器核验');
      }
      if (key.alg !== 'Ed25519' || key.pk.length !== 32) throw CredError('bad_signature', '密钥的算法与凭证不符');
      if (!(await ed25519Verify(key.pk, m.signature, m.tbs))) throw CredError('bad_signature', '签名无效');
      /* from here on the payload is the issuer's */
      var claims;
      try {
        claims = decodeClaims(m.payload);
      } catch (e) {
        if (e && e.name === 'CredError') throw CredError('malformed', '签名有效但内容格式错误');
        throw e;
      }
      out.iat = claims.iat;
      if (claims.iat < key.not_before || (key.not_after !== null && claims.iat > key.not_after)) {
        throw CredError('key_not_current', '签发时间不在签名密钥的有效期内');
      }
      var issuers = (trustList && trustList.issuers) ? issuerMap(trustList.issuers) : {};
      if (issuers[claims.issuer_code]) claims.issuer = issuers[claims.issuer_code];
      out.result = 'ok';
      out.claims = claims;
      return out;
    } catch (e) {
      if (e && e.name === 'CredError') {
        out.result = e.result;
        out.reason = e.message;
        return out;
      }
      throw e;
    }
  }

  /* ---- what a scanner read ------------------------------------------------- */

  function schemeLen(s) {
    if (!/^[A-Za-z]/.test(s)) return 0;
    for (var i = 1; i < s.length; i++) {
      var c = s[i];
      if (c === ':') return i;
      if (!/[A-Za-z0-9+.-]/.test(c)) return 0;
    }
    return 0;
  }

  function authorityLen(s) {
    var m = /[/?#\\]/.exec(s);
    return m ? m.index : s.length;
  }

  /* A host for a message: at most 255 bytes, control and non-ASCII bytes '?'. */
  function safeHost(s) {
    var b = new TextEncoder().encode(s).subarray(0, HOST_MAX), out = '';
    for (var i = 0; i < b.length; i++) out += b[i] < 0x20 || b[i] >= 0x7f ? '?' : String.fromCharCode(b[i]);
    return out;
  }

  /* %XX sequences decoded; anything else kept as it is. */
  function percentDecode(s) {
    return s.replace(/%([0-9A-Fa-f]{2})/g, function (_, h) {
      return String.fromCharCode(parseInt(h, 16));
    });
  }

  /*
   * Sorts what a scanner read, as cred_link_classify does, against the
   * official verifier's origin ("https://host[:port]", e.g. location.origin):
   *   {kind: 'payload', payload}   a bare OC1: text (or no URL, no '#')
   *   {kind: 'official', payload}  origin + "/v#" + the percent-encoded payload
   *   {kind: 'unofficial', host}   anything else: nothing of it is decoded
   */
  function classifyLink(text, origin) {
    var s = trimSpace(typeof text === 'string' ? text : '');
    var om = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]+)\/?$/.exec(origin || '');
    if (!om) throw new Error('official origin must be scheme://host[:port]');
    var wantScheme = om[1].toLowerCase(), wantHost = om[2].toLowerCase();
    if (s.length > SCAN_MAX) return { kind: 'payload', payload: s };
    var slen = schemeLen(s);
    if (slen === 0 || s.slice(0, slen).toLowerCase() === 'oc1') {
      if (s.indexOf('#') >= 0 && s.slice(0, PREFIX.length) !== PREFIX) {
        return { kind: 'unofficial', host: safeHost(s.slice(0, authorityLen(s))) };
      }
      return { kind: 'payload', payload: s };
    }
    var rest = s.slice(slen + 1);
    if (rest.slice(0, 2) !== '//') return { kind: 'unofficial', host: safeHost(s.slice(0, authorityLen(s))) };
    var auth = rest.slice(2, 2 + authorityLen(rest.slice(2)));
    var at = auth.lastIndexOf('@');
    var host = at >= 0 ? auth.slice(at + 1) : auth;
    var unofficial = { kind: 'unofficial', host: safeHost(host) };
    if (s.slice(0, slen).toLowerCase() !== wantScheme || at >= 0 || auth.toLowerCase() !== wantHost) {
      return unofficial;
    }
    var after = rest.slice(2 + auth.length);
    if (after.slice(0, 3) !== '/v#') return unofficial;
    return { kind: 'official', payload: percentDecode(after.slice(3)) };
  }

  return {
    PREFIX: PREFIX,
    ALG_SM2: ALG_SM2,
    CredError: CredError,
    hex: hex,
    fromHex: fromHex,
    b64urlDecode: b64urlDecode,
    base45Decode: base45Decode,
    adler32: adler32,
    inflate: inflate,
    cborDecode: cborDecode,
    decodeCose: decodeCose,
    decodeClaims: decodeClaims,
    dayToDate: dayToDate,
    ed25519Supported: ed25519Supported,
    keyId: keyId,
    verifyTrustList: verifyTrustList,
    verifyStatusList: verifyStatusList,
    statusOf: statusOf,
    verifyCredential: verifyCredential,
    classifyLink: classifyLink,
    percentDecode: percentDecode
  };
});
