/* query.js - 证书查询: number + name -> GET /api/v1/verify */
(function () {
  'use strict';
  var O = window.Opcert;
  var form = document.getElementById('query-form');
  var number = document.getElementById('number');
  var name = document.getElementById('name');
  var formError = document.getElementById('form-error');
  var submit = document.getElementById('submit');
  var result = document.getElementById('result');

  function fail(input, message) {
    formError.textContent = message;
    formError.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }

  function details(c) {
    if (!c) return [];
    return [
      ['姓名', c.name],
      ['证书编号', c.number],
      ['身份证号码', c.id_masked],
      ['工种', O.tradeText(c.trade, c.trade_name)],
      ['发证机关', c.issuer],
      ['发证日期', c.issued_on],
      ['有效期至', c.valid_until],
      ['复审日期', c.review_due]
    ];
  }

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    formError.hidden = true;
    number.removeAttribute('aria-invalid');
    name.removeAttribute('aria-invalid');
    var n = number.value.trim(), nm = name.value.trim();
    if (!n) return fail(number, '请填写证书编号。');
    if (!nm) return fail(name, '请填写持证人姓名。');

    submit.disabled = true;
    submit.textContent = '正在查询…';
    O.showVerdict(result, { verdict: 'pending', label: '正在查询…', advice: '' });
    try {
      var q = '/api/v1/verify?number=' + encodeURIComponent(n) + '&name=' + encodeURIComponent(nm);
      var r = await O.getJSON(q);
      O.showVerdict(result, {
        verdict: r.verdict,
        label: r.label,
        message: r.message,
        details: details(r.certificate)
      });
      result.scrollIntoView({ block: 'start' });
    } catch (e) {
      O.showError(result, e.message);
    } finally {
      submit.disabled = false;
      submit.textContent = '查询';
    }
  });
})();
