/*
 * credcheck.js - what the scan page and /v do with a scanned text:
 *
 *   1. a URL that is not this site's origin + "/v#" -> 非官方查询链接, naming
 *      the host; nothing of it is decoded;
 *   2. the signature checked here, in the browser, against the trust list
 *      this site publishes (itself checked with its root key first): a bad
 *      one -> 伪造;
 *   3. then the server is asked for the current status (revoked, suspended,
 *      expired ...) and gives the final verdict.
 *
 * Where the browser cannot check Ed25519 (some in-app browsers), or the
 * credential uses another algorithm (SM2 with SM3), the page says so and
 * the server checks everything instead.
 *
 * Without network (the server cannot be reached), step 3 is made here
 * from the signed status list this phone saved (the offline worker,
 * /static/sw.js, keeps the last trust list and status list it fetched):
 * revoked, suspended, then the dates; a list signed more than 7 days ago
 * gives status_unknown, judged by the time signed into the list, not by
 * when it was saved.  A banner says the check was made offline and how
 * old the lists are.
 */
(function () {
  'use strict';
  var O = window.Opcert;
  var C = window.OpcertCred;

  var RESULT_TEXT = {
    malformed: '二维码内容不是有效的官方凭证（格式错误或被改动）。',
    unknown_key: '签名所用的密钥不在官方信任列表中：不是本局签发的凭证。',
    bad_signature: '签名与内容不符：凭证内容被改动过，或是伪造的签名。',
    key_not_current: '签发时间不在签名密钥的有效期内。'
  };

  var STATUS_MAX_AGE = 7 * 86400; /* seconds; lib/scan.h SCAN_STATUS_MAX_AGE_DEFAULT */
  var CLOCK_SLACK = 300;          /* a list signed this far in the future is accepted */
  var EMERGENCY_REVIEW_YEARS = 3; /* lib/status.h STATUS_EMERGENCY_REVIEW_YEARS */

  var trustListPromise = null;

  /* The offline worker: /scan and /v keep working without signal after one visit. */
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('/static/sw.js', { scope: '/' }).catch(function () {});
  }

  /* The published trust list, its signature checked with its root key. */
  function trustList() {
    if (!trustListPromise) {
      trustListPromise = O.getJSON('/api/v1/trust-list').then(function (env) {
        return C.verifyTrustList(env);
      });
      trustListPromise.catch(function () { trustListPromise = null; });
    }
    return trustListPromise;
  }

  function iatText(iat) {
    if (typeof iat !== 'number') return '';
    var d = new Date(iat * 1000);
    try {
      return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    } catch (e) {
      return d.toISOString();
    }
  }

  function claimDetails(c, issuers) {
    if (!c) return [];
    var issuer = c.issuer || (issuers && issuers[c.issuer_code]) || c.issuer_code;
    return [
      ['姓名', c.name],
      ['性别', c.gender],
      ['证书编号', c.number],
      ['身份证号码', c.id_masked],
      ['工种', O.tradeText(c.trade, c.trade_name)],
      ['发证机关', issuer],
      ['发证日期', c.issued_on],
      ['有效期至', c.valid_until],
      ['复审日期', c.review_due],
      ['凭证签发时间', iatText(c.iat)]
    ];
  }

  /* SHA-256(salt || ID number)[0..15] compared with the signed id_hash. */
  function idChecker(claims) {
    if (!claims || !claims.id_salt || !claims.id_hash || !window.crypto || !crypto.subtle) return null;
    var form = O.el('form', { class: 'card idcheck', novalidate: true });
    var input = O.el('input', {
      id: 'idcheck-input', type: 'text', maxlength: '18', autocomplete: 'off', spellcheck: 'false',
      inputmode: 'text', autocapitalize: 'characters'
    });
    var out = O.el('p', { class: 'idcheck-result', role: 'status' });
    form.appendChild(O.el('label', { for: 'idcheck-input', text: '核对持证人身份证号码（选填）' }));
    form.appendChild(O.el('p', { class: 'hint', text: '输入持证人身份证上的 18 位号码，在本机与凭证中的签名指纹比对，号码不会发送到任何地方。' }));
    form.appendChild(input);
    form.appendChild(O.el('button', { type: 'submit', class: 'button', text: '核对' }));
    form.appendChild(out);
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var id = input.value.trim().toUpperCase();
      out.className = 'idcheck-result';
      if (!/^[0-9]{17}[0-9X]$/.test(id)) {
        out.textContent = '请输入 18 位身份证号码。';
        return;
      }
      var data = new Uint8Array(16 + 18);
      data.set(C.fromHex(claims.id_salt), 0);
      data.set(new TextEncoder().encode(id), 16);
      var h = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
      if (C.hex(h.subarray(0, 16)) === claims.id_hash) {
        out.textContent = '✓ 一致：这是凭证上持证人的身份证号码。';
        out.className = 'idcheck-result good';
      } else {
        out.textContent = '✕ 不一致：证件不是这个人的，疑似冒用。';
        out.className = 'idcheck-result bad';
      }
    });
    return form;
  }

  /* Today in China as YYYY-MM-DD (DOMAIN section 6). */
  function chinaToday(ms) {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms));
  }

  /* YYYY-MM-DD plus n years; 29 February becomes 28 February (date_add_years). */
  function addYears(date, n) {
    var y = parseInt(date.slice(0, 4), 10) + n, m = parseInt(date.slice(5, 7), 10), d = parseInt(date.slice(8, 10), 10);
    var last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return new Date(Date.UTC(y, m - 1, Math.min(d, last))).toISOString().slice(0, 10);
  }

  /*
   * The offline verdict of verified claims from a verified status list (or
   * null), as lib/scan.c offline() and check_dates() make it.  Returns
   * {verdict, message}.
   */
  function offlineVerdict(claims, list, nowMs) {
    var now = Math.floor(nowMs / 1000);
    var findings = [], msgs = [];
    if (!list) {
      findings.push('status_unknown');
      msgs.push('签名有效，但本机没有可用的状态列表，无法确认证书是否已被注销或暂扣');
    } else if (list.issued_at > now + CLOCK_SLACK) {
      findings.push('status_unknown');
      msgs.push('签名有效，但状态列表的签发时间晚于现在（手机时钟或状态列表有误），无法确认证书当前状态');
    } else if (now - list.issued_at > STATUS_MAX_AGE) {
      findings.push('status_unknown');
      msgs.push('签名有效，但本机保存的状态列表已超过' + STATUS_MAX_AGE / 86400 + '天未更新，无法确认证书当前状态');
    } else {
      var st = C.statusOf(list, claims.status_index);
      if (st === 'revoked') {
        findings.push('revoked');
        msgs.push('证书已被注销或吊销');
      } else if (st === 'suspended') {
        findings.push('suspended');
        msgs.push('证书已被暂扣');
      }
    }
    var today = chinaToday(nowMs);
    if (claims.valid_until && today > claims.valid_until) {
      findings.push('expired');
      msgs.push('证书已过期（有效期至' + claims.valid_until + '）');
    }
    var due = claims.review_due ||
      (claims.number && claims.number[0] === 'T' && claims.issued_on ? addYears(claims.issued_on, EMERGENCY_REVIEW_YEARS) : '');
    if (due && today > due) {
      findings.push('review_overdue');
      msgs.push('逾期未复审（应于' + due + '前复审）');
    }
    var verdict = 'valid';
    findings.forEach(function (f) {
      if (O.severity(f) < O.severity(verdict)) verdict = f;
    });
    if (verdict === 'valid') msgs.push('签名有效，证书有效，有效期至' + claims.valid_until);
    return { verdict: verdict, message: msgs.join('；') + '。' };
  }

  /* The saved status list, verified against the trust list; null when there is none or it does not verify. */
  async function savedStatusList(tl) {
    try {
      return await C.verifyStatusList(await O.getJSON('/api/v1/status-list'), tl);
    } catch (e) {
      return null;
    }
  }

  function offlineBanner(tl, list) {
    var text = '当前离线：已用本机保存的信任列表（更新于 ' + iatText(tl.issued_at) + '）';
    text += list
      ? '和状态列表（更新于 ' + iatText(list.issued_at) + '）核验签名；吊销状态以状态列表更新时间为准。'
      : '核验签名；本机没有可用的状态列表，无法确认吊销状态。';
    return O.el('p', { class: 'offline-banner', role: 'note', text: text });
  }

  function how(mode) {
    if (mode === 'browser') return '签名已在本机核验（Ed25519，官方信任列表）。';
    return '签名由官方服务器核验。';
  }

  /*
   * Checks a scanned text and shows the outcome in box; status (optional)
   * is a line for progress.  Resolves to the final verdict code.
   */
  async function check(text, box, status) {
    function progress(msg) {
      if (status) status.textContent = msg;
    }

    var link = C.classifyLink(text, location.origin);
    if (link.kind === 'unofficial') {
      O.showVerdict(box, {
        verdict: 'unofficial_link',
        message: '二维码指向“' + (link.host || '（无主机名）') + '”，不是官方核验网站 ' + location.origin + '。',
        details: [['二维码指向', link.host || '（无主机名）'], ['官方核验网站', location.origin]]
      });
      progress('');
      return 'unofficial_link';
    }
    var payload = link.payload;
    var mode = 'server', note = '', local = null, tl = null;

    progress('正在核验签名…');
    if (await C.ed25519Supported()) {
      try {
        tl = await trustList();
        local = await C.verifyCredential(payload, tl);
        mode = 'browser';
      } catch (e) {
        if (e && e.unsupported) note = '此浏览器无法在本机核验签名，已改由官方服务器核验。';
        else note = '无法取得官方信任列表（' + e.message + '），已改由官方服务器核验。';
        local = null;
      }
    } else {
      note = '此浏览器不支持在本机核验 Ed25519 签名（部分 App 内置浏览器如此），已改由官方服务器核验。';
    }
    if (local && local.result === 'unsupported_alg') {
      note = local.alg === C.ALG_SM2
        ? '该凭证使用国密 SM2 签名，本机只核验 Ed25519，已改由官方服务器核验。'
        : '该凭证使用本浏览器无法核验的签名算法，已改由官方服务器核验。';
      mode = 'server';
      local = null;
    }
    if (local && local.result !== 'ok') {
      O.showVerdict(box, {
        verdict: 'forged',
        message: RESULT_TEXT[local.result] || local.reason,
        details: [['技术原因', local.reason], ['签名密钥', local.kid]],
        note: how('browser')
      });
      progress('');
      return 'forged';
    }

    var issuers = tl ? tl.issuers : {};
    if (local) {
      O.showVerdict(box, {
        verdict: 'pending',
        label: '签名有效，正在查询当前状态…',
        advice: '',
        details: claimDetails(local.claims, issuers),
        note: how('browser')
      });
    } else {
      O.showVerdict(box, { verdict: 'pending', label: '正在由服务器核验…', advice: '', note: note });
    }
    progress('正在查询证书当前状态…');

    var r;
    try {
      r = await O.postJSON('/api/v1/verify/credential', { payload: payload });
    } catch (e) {
      progress('');
      if (local && e.code === 'network') {
        var list = await savedStatusList(tl);
        var off = offlineVerdict(local.claims, list, Date.now());
        O.showVerdict(box, {
          verdict: off.verdict,
          message: off.message,
          details: claimDetails(local.claims, issuers),
          note: how('browser'),
          extra: idChecker(local.claims)
        });
        box.insertBefore(offlineBanner(tl, list), box.firstChild);
        return off.verdict;
      }
      if (local) {
        O.showVerdict(box, {
          verdict: 'status_unknown',
          message: '签名有效，但无法查询证书当前是否被注销或暂扣：' + e.message,
          details: claimDetails(local.claims, issuers),
          note: how('browser'),
          extra: idChecker(local.claims)
        });
        return 'status_unknown';
      }
      O.showError(box, e.message);
      return 'error';
    }
    progress('');
    if (r.verdict === 'unofficial_link') {
      /* the server names the host; nothing else of it is shown */
      O.showVerdict(box, { verdict: r.verdict, label: r.label, message: r.message, details: [['二维码指向', r.host]] });
      return r.verdict;
    }
    var claims = local ? local.claims : r.claims;
    var notes = [note || how(mode)];
    if (local && r.verdict === 'forged') notes.push('签名本身有效，但服务器判定为伪造（例如本局的签发记录中没有这张凭证）。');
    O.showVerdict(box, {
      verdict: r.verdict,
      label: r.label,
      message: r.message,
      details: r.verdict === 'forged' && !local ? [['签名密钥', r.kid]] : claimDetails(claims, issuers),
      note: notes.join(''),
      extra: r.verdict === 'forged' ? null : idChecker(local ? local.claims : null)
    });
    return r.verdict;
  }

  window.OpcertCheck = { check: check, trustList: trustList, offlineVerdict: offlineVerdict };
})();
