/*
 * sw.js - the offline worker of the public QR check (/scan and /v).
 *
 * An inspector on a site with no signal must still be able to check a
 * card: after one visit this worker keeps the two pages, the scripts and
 * stylesheet they load, and the last signed trust list and status list.
 * The pages then verify the signature in the browser as always and, when
 * the server cannot be reached, judge revocation from the saved status
 * list by the time signed into it (credcheck.js).
 *
 * Served as /static/sw.js with "Service-Worker-Allowed: /" (api_static),
 * registered with scope "/" by credcheck.js.  What it touches:
 *   - GET of the addresses in KEEP below, and nothing else: every other
 *     request (signed-in pages, every other /api/ answer, any POST) goes
 *     to the network untouched and is never stored;
 *   - those are fetched network first, with a short timeout, so a fresh
 *     page or list is used whenever there is signal; the saved copy only
 *     when the network fails or is too slow.  The /static/ addresses
 *     carry no version, so they are treated the same way.
 * Raising VERSION replaces the saved copies (activate deletes old caches).
 */
'use strict';

var VERSION = 'opcert-offline-v1';
var TIMEOUT_MS = 4000;

var PAGES = ['/scan', '/v'];
var FILES = [
  '/static/css/site.css',
  '/static/js/common.js',
  '/static/js/opcert-cred.js',
  '/static/js/credcheck.js',
  '/static/js/scan.js',
  '/static/js/v.js',
  '/static/vendor/jsQR.js',
  '/static/manifest.webmanifest'
];
var LISTS = ['/api/v1/trust-list', '/api/v1/status-list'];
var KEEP = PAGES.concat(FILES, LISTS);

/* The address a request is kept under, or null when it is not kept. */
function keyOf(request) {
  if (request.method !== 'GET') return null;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  return KEEP.indexOf(url.pathname) >= 0 ? url.pathname : null;
}

function fresh(path) {
  return fetch(new Request(path, { cache: 'no-cache', credentials: 'omit', redirect: 'error' }));
}

/* Stores a good same-origin answer (never a redirect or an error). */
async function keep(cache, path, response) {
  if (response && response.ok && response.type === 'basic' && !response.redirected) {
    await cache.put(path, response.clone());
  }
  return response;
}

self.addEventListener('install', function (event) {
  event.waitUntil((async function () {
    var cache = await caches.open(VERSION);
    /* the pages and files must all be there, or the worker is not installed */
    await Promise.all(PAGES.concat(FILES).map(async function (path) {
      var r = await fresh(path);
      if (!r.ok) throw new Error(path + ': ' + r.status);
      await cache.put(path, r);
    }));
    /* the lists as far as the server gives them (it may lack keys) */
    await Promise.all(LISTS.map(function (path) {
      return fresh(path).then(function (r) { return keep(cache, path, r); }).catch(function () {});
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', function (event) {
  event.waitUntil((async function () {
    var names = await caches.keys();
    await Promise.all(names.filter(function (n) { return n !== VERSION; }).map(function (n) {
      return caches.delete(n);
    }));
    await self.clients.claim();
  })());
});

/* Network first: the server's answer (and it is saved), or after a failure
 * or TIMEOUT_MS the saved copy; without one, whatever the network gives. */
async function networkFirst(event, path) {
  var cache = await caches.open(VERSION);
  var network = fetch(event.request).then(function (r) { return keep(cache, path, r); });
  var timer;
  var timeout = new Promise(function (resolve) {
    timer = setTimeout(resolve, TIMEOUT_MS, null);
  });
  try {
    var r = await Promise.race([network, timeout]);
    if (r) return r;
  } catch (e) {
    /* offline or the server is down */
  } finally {
    clearTimeout(timer);
  }
  event.waitUntil(network.catch(function () {}));
  var saved = await cache.match(path);
  return saved || network;
}

self.addEventListener('fetch', function (event) {
  var path = keyOf(event.request);
  if (path) event.respondWith(networkFirst(event, path));
});
