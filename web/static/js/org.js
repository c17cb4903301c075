/*
 * org.js - what the pages of companies, projects and training institutions
 * share (/companies, /companies/USCC, /projects, /projects/ID,
 * /institutions, /institutions/ID): who may do what (only to show
 * the right forms: the server decides, src/http/routes.c and src/api/),
 * the district names for typing, errors that point at the field they name,
 * and table cells that read well on a phone.
 */
(function () {
  'use strict';
  var O = window.Opcert;

  function role(s) {
    return s && s.signed_in && s.principal ? s.principal.role : '';
  }

  function isCity(r) {
    return r === 'city_admin' || r === 'city_officer';
  }

  function showError(id, message) {
    var e = document.getElementById(id);
    e.textContent = message || '';
    e.hidden = !message;
  }

  function showStatus(id, message) {
    document.getElementById(id).textContent = message || '';
  }

  function value(id) {
    return document.getElementById(id).value.trim();
  }

  /* fields: [[input id, label the server's messages use], ...]; marks those the message names. */
  function markFields(fields, message) {
    fields.forEach(function (f) {
      var input = document.getElementById(f[0]);
      if (message && message.indexOf(f[1]) >= 0) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    });
    var first = fields.find(function (f) { return message && message.indexOf(f[1]) >= 0; });
    if (first) document.getElementById(first[0]).focus();
  }

  async function loadDistricts(listId) {
    try {
      var d = await O.getJSON('/api/v1/districts');
      var list = document.getElementById(listId);
      d.districts.forEach(function (n) { list.appendChild(O.el('option', { value: n })); });
    } catch (e) {
      /* only a help for typing (companies cannot list districts) */
    }
  }

  function cell(label, content, cls) {
    var td = O.el('td', { 'data-label': label, class: cls || null });
    if (content instanceof Node) td.appendChild(content);
    else td.textContent = content === null || content === undefined || content === '' ? '—' : String(content);
    return td;
  }

  function details(dl, pairs) {
    O.clear(dl);
    pairs.forEach(function (d) {
      var v = d[1] === null || d[1] === undefined || d[1] === '' ? '—' : d[1];
      var dd = O.el('dd', { 'data-field': d[2] || null });
      if (v instanceof Node) dd.appendChild(v);
      else dd.textContent = String(v);
      dl.appendChild(O.el('div', {}, [O.el('dt', { text: d[0] }), dd]));
    });
  }

  function companyLink(c) {
    if (!c) return null;
    return O.el('a', { href: '/companies/' + encodeURIComponent(c.uscc), text: c.name });
  }

  function institutionLink(i) {
    if (!i) return null;
    return O.el('a', { href: '/institutions/' + encodeURIComponent(String(i.id)), text: i.name });
  }

  /* The company a company user belongs to (its list holds only that one). */
  async function ownCompany() {
    try {
      var res = await O.getJSON('/api/v1/companies');
      return res.companies.length === 1 ? res.companies[0] : null;
    } catch (e) {
      return null;
    }
  }

  /* A query string of the non-empty pairs. */
  function query(pairs) {
    var q = pairs.filter(function (p) { return p[1]; }).map(function (p) {
      return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]);
    }).join('&');
    return q ? '?' + q : '';
  }

  // The change form of a record page: each input (id) gets the record's
  // value and remembers it, so that only what the user edited is sent.
  function fillForm(pairs) {
    pairs.forEach(function (f) {
      var input = document.getElementById(f[0]);
      input.value = f[1];
      input.setAttribute('data-was', f[1]);
    });
  }

  // {key: value} of the shown inputs ([key, id] pairs) the user edited.
  function edited(pairs) {
    var body = {};
    pairs.forEach(function (f) {
      var input = document.getElementById(f[1]);
      var field = input.closest('.field');
      if (field && field.hidden) return;
      var v = input.value.trim();
      if (v !== input.getAttribute('data-was')) body[f[0]] = v;
    });
    return body;
  }

  // Send a change (body) to url; mark the fields the server's message
  // names; on success reload the record (reload() returns true) and refill.
  async function saveChange(url, body, fields, reload, refill) {
    if (!Object.keys(body).length) {
      showError('change-error', '没有要修改的内容。');
      return;
    }
    try {
      await window.Opcert.postJSON(url, body);
      markFields(fields, '');
      showStatus('change-done', '已保存。');
      await reload();
      refill();
    } catch (e) {
      showError('change-error', e.message);
      markFields(fields, e.message);
    }
  }

  // A list page's table: GET url, whose answer holds the rows under key (the
  // list's name, also the prefix of the ids KEY-table, KEY-error and
  // KEY-count), one row(x) each, and the count with its unit.
  async function loadList(key, url, row, unit) {
    var tbody = document.querySelector('#' + key + '-table tbody');
    showError(key + '-error', '');
    try {
      var rows = (await window.Opcert.getJSON(url))[key];
      window.Opcert.clear(tbody);
      rows.forEach(function (x) { tbody.appendChild(row(x)); });
      showStatus(key + '-count', '共 ' + rows.length + ' ' + unit);
    } catch (e) {
      showError(key + '-error', e.message);
    }
  }

  // Register a new record: send body to url from the form whose elements
  // are PREFIX-submit, PREFIX-error and PREFIX-done; mark the fields the
  // server's message names; on success show done(answer), empty the inputs
  // listed in clear and reload the list.
  async function addRecord(prefix, url, body, fields, done, clear, reload) {
    var button = document.getElementById(prefix + '-submit');
    showError(prefix + '-error', '');
    showStatus(prefix + '-done', '');
    button.disabled = true;
    try {
      var res = await window.Opcert.postJSON(url, body);
      markFields(fields, '');
      showStatus(prefix + '-done', done(res));
      clear.forEach(function (id) { document.getElementById(id).value = ''; });
      await reload();
    } catch (e) {
      showError(prefix + '-error', e.message);
      markFields(fields, e.message);
    } finally {
      button.disabled = false;
    }
  }

  // Close a record after the user confirms question; hide the forms (ids).
  async function closeRecord(question, url, reload, hide) {
    if (!confirm(question)) return;
    showError('close-error', '');
    try {
      await window.Opcert.postJSON(url, {});
      await reload();
      hide.forEach(function (id) { document.getElementById(id).hidden = true; });
    } catch (e) {
      showError('close-error', e.message);
    }
  }

  window.OpcertOrg = {
    fillForm: fillForm,
    edited: edited,
    saveChange: saveChange,
    addRecord: addRecord,
    loadList: loadList,
    closeRecord: closeRecord,
    role: role,
    isCity: isCity,
    showError: showError,
    showStatus: showStatus,
    value: value,
    markFields: markFields,
    loadDistricts: loadDistricts,
    cell: cell,
    details: details,
    companyLink: companyLink,
    institutionLink: institutionLink,
    ownCompany: ownCompany,
    query: query
  };
})();
