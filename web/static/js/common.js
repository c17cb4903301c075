/*
 * common.js - what every page shares: the verdict vocabulary (DOMAIN.md
 * section 6), the trade names, calls to the JSON API (with the session's
 * CSRF token on every POST), the verdict panel and the sign-in state in the
 * header (who is signed in, a link to their home page, sign-out).
 */
(function () {
  'use strict';

  /* tone: ok green, bad red, warn amber */
  var VERDICTS = {
    valid: { label: '有效', tone: 'ok' },
    uncertified: { label: '无证', tone: 'bad' },
    not_found: { label: '查无此证', tone: 'bad' },
    mismatch: { label: '信息不符', tone: 'bad' },
    expired: { label: '已过期', tone: 'warn' },
    review_overdue: { label: '逾期未复审', tone: 'warn' },
    revoked: { label: '已注销/吊销', tone: 'bad' },
    suspended: { label: '暂扣', tone: 'warn' },
    invalid_id: { label: '身份证号码无效', tone: 'bad' },
    invalid_number: { label: '证书编号无效', tone: 'bad' },
    duplicate_use: { label: '疑似转借/冒用', tone: 'bad' },
    external: { label: '需外部核验', tone: 'warn' },
    forged: { label: '签名无效（伪造）', tone: 'bad' },
    tampered: { label: '登记记录被篡改', tone: 'bad' },
    status_unknown: { label: '状态未知', tone: 'warn' },
    unofficial_link: { label: '非官方查询链接', tone: 'bad' }
  };

  /* most serious first */
  var SEVERITY = ['unofficial_link', 'forged', 'tampered', 'uncertified', 'mismatch', 'duplicate_use', 'revoked',
    'suspended', 'expired', 'review_overdue', 'invalid_id', 'invalid_number', 'not_found', 'external',
    'status_unknown', 'valid'];

  /* what to do, in one sentence */
  var ADVICE = {
    valid: '证书真实有效。请再核对持证人本人与证件照片、身份证是否一致。',
    uncertified: '无证不得从事特种作业，应立即调离岗位。',
    not_found: '请核对编号和姓名后重试。仍查不到的证书可能是假证：不得上岗，并向所在区（市、县）住建局报告。',
    mismatch: '证书信息与登记不一致，疑似涂改或冒用：暂停上岗，核实后处理。',
    expired: '证书已过有效期，不得继续从事特种作业，应办理延期复核或重新考核。',
    review_overdue: '证书逾期未复审，应暂停作业并尽快办理复审（延期复核）。',
    revoked: '证书已被注销或吊销，持证人不得从事特种作业。',
    suspended: '证书被暂扣期间，持证人不得从事特种作业。',
    invalid_id: '身份证号码不符合国家标准，请核对原件。',
    invalid_number: '证书编号不符合任何已知格式，疑似假证，请核对原件。',
    duplicate_use: '同一证书被他人或其他工地使用，疑似转借或冒用，请核实。',
    external: '证书由本系统未收录的机关颁发，请到发证机关的官方网站核验并记录。',
    forged: '二维码的签名无效，这张证书是伪造的：不得上岗，保留证件，并向所在区（市、县）住建局举报。',
    tampered: '登记记录与签名的透明日志不一致，可能被人篡改：请立即报告市住建局。',
    status_unknown: '签名有效，但暂时无法确认证书是否被注销或暂扣，请稍后再查。',
    unofficial_link: '二维码指向的不是官方核验网站，很可能是假证配套的假查询网站：不要相信它显示的任何结果，请向网信部门举报该网站。'
  };

  var FIELDS = {
    name: '姓名',
    id_number: '身份证号码',
    gender: '性别',
    trade: '工种',
    valid_until: '有效期',
    issuer: '发证机关'
  };

  /* lib/trade_data.c */
  var TRADES = {
    '01': '建筑电工', '02': '建筑架子工（普通脚手架）', '03': '建筑架子工（附着升降脚手架）',
    '04': '建筑起重信号司索工', '05': '建筑起重机械司机（塔式起重机）', '06': '建筑起重机械司机（施工升降机）',
    '07': '建筑起重机械司机（物料提升机）', '08': '建筑起重机械安装拆卸工（塔式起重机）',
    '09': '建筑起重机械安装拆卸工（施工升降机）', '10': '建筑起重机械安装拆卸工（物料提升机）',
    '11': '高处作业吊篮安装拆卸工',
    '1.1': '高压电工作业', '1.2': '低压电工作业', '1.3': '防爆电气作业',
    '2.1': '熔化焊接与热切割作业', '2.2': '压力焊作业', '2.3': '钎焊作业',
    '3.1': '登高架设作业', '3.2': '高处安装、维护、拆除作业',
    '4.1': '制冷与空调设备运行操作作业', '4.2': '制冷与空调设备安装修理作业',
    '5.1': '煤矿井下电气作业', '5.2': '煤矿井下爆破作业', '5.3': '煤矿安全监测监控作业', '5.4': '煤矿瓦斯检查作业',
    '5.5': '煤矿安全检查作业', '5.6': '煤矿提升机操作作业', '5.7': '煤矿采煤机（掘进机）操作作业',
    '5.8': '煤矿瓦斯抽采作业', '5.9': '煤矿防突作业', '5.10': '煤矿探放水作业',
    '6.1': '金属非金属矿井通风作业', '6.2': '尾矿作业', '6.3': '金属非金属矿山安全检查作业',
    '6.4': '金属非金属矿山提升机操作作业', '6.5': '金属非金属矿山支柱作业', '6.6': '金属非金属矿山井下电气作业',
    '6.7': '金属非金属矿山排水作业', '6.8': '金属非金属矿山爆破作业',
    '7.1': '司钻作业', '8.1': '煤气作业',
    '9.1': '光气及光气化工艺作业', '9.2': '氯碱电解工艺作业', '9.3': '氯化工艺作业', '9.4': '硝化工艺作业',
    '9.5': '合成氨工艺作业', '9.6': '裂解（裂化）工艺作业', '9.7': '氟化工艺作业', '9.8': '加氢工艺作业',
    '9.9': '重氮化工艺作业', '9.10': '氧化工艺作业', '9.11': '过氧化工艺作业', '9.12': '胺基化工艺作业',
    '9.13': '磺化工艺作业', '9.14': '聚合工艺作业', '9.15': '烷基化工艺作业', '9.16': '化工自动化控制仪表作业',
    '10.1': '烟火药制造作业', '10.2': '黑火药制造作业', '10.3': '引火线制造作业', '10.4': '烟花爆竹产品涉药作业',
    '10.5': '烟花爆竹储存作业'
  };

  var ICONS = { ok: '✓', bad: '✕', warn: '!', wait: '…' };

  function verdictInfo(code) {
    return VERDICTS[code] || { label: code || '未知', tone: 'warn' };
  }

  function severity(code) {
    var i = SEVERITY.indexOf(code);
    return i < 0 ? SEVERITY.length : i;
  }

  function tradeText(code, name) {
    if (!code) return name || '';
    var n = name || TRADES[code];
    return n ? n + '（' + code + '）' : code;
  }

  /* el('p', {class: 'x'}, ['text', child]) */
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) return;
      if (k === 'text') e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /* ---- the API ----------------------------------------------------------- */

  function ApiError(message, status, code) {
    var e = new Error(message);
    e.name = 'ApiError';
    e.status = status;
    e.code = code;
    return e;
  }

  /* The signed-in session (GET /api/v1/session), asked once a page. */
  var sessionPromise = null;
  var csrfToken = '';

  function session() {
    if (!sessionPromise) {
      sessionPromise = fetch('/api/v1/session', { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
        .then(function (res) { return res.ok ? res.json() : { signed_in: false }; })
        .catch(function () { return { signed_in: false }; })
        .then(function (s) {
          csrfToken = (s && s.csrf) || '';
          return s;
        });
    }
    return sessionPromise;
  }

  /* After signing in: the new session's answer replaces the cached one. */
  function setSession(s) {
    csrfToken = (s && s.csrf) || '';
    sessionPromise = Promise.resolve(s);
  }

  async function api(method, url, body, contentType) {
    var opts = { method: method, headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' };
    if (method !== 'GET' && url !== '/api/v1/session') {
      await session();
      if (csrfToken) opts.headers['X-CSRF-Token'] = csrfToken;
    }
    if (body !== undefined) {
      opts.body = body;
      if (contentType) opts.headers['Content-Type'] = contentType;
    }
    var res;
    try {
      res = await fetch(url, opts);
    } catch (e) {
      throw ApiError('无法连接核验服务器，请检查网络后重试。', 0, 'network');
    }
    var data = null;
    try {
      data = await res.json();
    } catch (e) {
      data = null;
    }
    if (res.status === 401 && url !== '/api/v1/session') {
      throw ApiError('请先登录（登录已过期时请重新登录）。', 401, data && data.error ? data.error.code : 'unauthenticated');
    }
    if (res.status === 429 && data && data.error && data.error.code === 'probe_limit') {
      throw ApiError(data.error.message, 429, 'probe_limit');
    }
    if (res.status === 429) {
      var wait = parseInt(res.headers.get('Retry-After') || '', 10);
      throw ApiError('查询太频繁，请' + (wait > 0 ? ' ' + wait + ' 秒' : '稍等片刻') + '后再试。', 429, 'rate_limited');
    }
    if (!res.ok || data === null) {
      var msg = data && data.error && data.error.message ? data.error.message : '核验服务器出错（' + res.status + '），请稍后再试。';
      throw ApiError(msg, res.status, data && data.error ? data.error.code : 'http_' + res.status);
    }
    return data;
  }

  function getJSON(url) {
    return api('GET', url);
  }

  function postJSON(url, obj) {
    return api('POST', url, JSON.stringify(obj), 'application/json');
  }

  /* ---- the verdict panel ------------------------------------------------- */

  /*
   * Fills box with one verdict:
   *   {verdict, label?, message?, title?, tone?, details: [[label, value], ...],
   *    advice?, note?, extra?: Node}
   * verdict 'pending' shows a neutral "checking" panel.
   */
  function showVerdict(box, v) {
    clear(box);
    var info = v.verdict === 'pending' ? { label: v.label || '正在核验…', tone: 'wait' } : verdictInfo(v.verdict);
    var tone = v.tone || info.tone;
    var label = v.label || info.label;
    var panel = el('section', {
      class: 'verdict tone-' + tone,
      'data-verdict': v.verdict,
      'aria-labelledby': 'verdict-label'
    });
    var head = el('div', { class: 'verdict-head' }, [
      el('span', { class: 'verdict-icon', 'aria-hidden': 'true', text: ICONS[tone] || '' }),
      el('div', {}, [
        el('p', { class: 'verdict-kicker', text: v.title || '核验结论' }),
        el('h2', { id: 'verdict-label', class: 'verdict-label', text: label })
      ])
    ]);
    panel.appendChild(head);
    if (v.message) panel.appendChild(el('p', { class: 'verdict-message', text: v.message }));
    var advice = v.advice === undefined ? ADVICE[v.verdict] : v.advice;
    if (advice) panel.appendChild(el('p', { class: 'verdict-advice', text: advice }));
    box.appendChild(panel);
    if (v.details && v.details.length) {
      var dl = el('dl', { class: 'details' });
      v.details.forEach(function (d) {
        if (d[1] === undefined || d[1] === null || d[1] === '') return;
        dl.appendChild(el('div', {}, [el('dt', { text: d[0] }), el('dd', { text: String(d[1]) })]));
      });
      box.appendChild(dl);
    }
    if (v.note) box.appendChild(el('p', { class: 'note', text: v.note }));
    if (v.extra) box.appendChild(v.extra);
    box.hidden = false;
    return panel;
  }

  function showError(box, message) {
    clear(box);
    box.appendChild(el('p', { class: 'error', role: 'alert', text: message }));
    box.hidden = false;
  }

  /* ---- every page -------------------------------------------------------- */

  function fillOrigin() {
    var nodes = document.querySelectorAll('.js-origin');
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = location.origin;
  }

  /*
   * Where to go after signing in: a page of this site, as a whole URL
   * ('/home' otherwise).  Browsers drop tabs and line breaks from a URL and
   * read '\' as '/', so '/<TAB>/evil.example' would leave the site: such
   * characters are refused, and the rest must resolve to this origin.  The
   * whole URL is returned because a path such as '/.//evil.example'
   * resolves to '//evil.example', which is another site again.
   */
  function safeNext(next) {
    if (typeof next !== 'string' || /[\u0000-\u001f\u007f\\]/.test(next)) return '/home';
    try {
      var url = new URL(next, location.origin);
      if (url.origin === location.origin) return url.href;
    } catch (e) {
      /* '//[' and the like: not a URL at all */
    }
    return '/home';
  }

  async function signOut() {
    try {
      await api('POST', '/api/v1/session/logout');
    } catch (e) {
      /* already signed out: the session ended or expired */
    }
    setSession({ signed_in: false });
    location.assign('/');
  }

  /* The header: who is signed in, their home page and sign-out; else a sign-in link. */
  function fillAccount() {
    var nav = document.querySelector('.site-nav ul');
    if (!nav) return;
    session().then(function (s) {
      var li = el('li', { class: 'nav-account' });
      if (s && s.signed_in && s.principal) {
        li.appendChild(el('a', { href: '/home', class: 'nav-home', text: s.principal.login + '（' + s.principal.role_label + '）' }));
        var out = el('button', { type: 'button', class: 'linkish nav-signout', text: '退出' });
        out.addEventListener('click', signOut);
        li.appendChild(out);
      } else {
        li.appendChild(el('a', { href: '/login?next=' + encodeURIComponent(location.pathname), class: 'nav-signin', text: '登录' }));
      }
      nav.appendChild(li);
    });
  }

  function onReady() {
    fillOrigin();
    fillAccount();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', onReady);
  else onReady();

  window.Opcert = {
    VERDICTS: VERDICTS,
    SEVERITY: SEVERITY,
    ADVICE: ADVICE,
    FIELDS: FIELDS,
    TRADES: TRADES,
    verdictInfo: verdictInfo,
    severity: severity,
    tradeText: tradeText,
    el: el,
    clear: clear,
    getJSON: getJSON,
    postJSON: postJSON,
    api: api,
    session: session,
    setSession: setSession,
    safeNext: safeNext,
    signOut: signOut,
    showVerdict: showVerdict,
    showError: showError
  };
})();
