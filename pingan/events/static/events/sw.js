/* Service worker of the phone report pages: keeps the page and its assets so it opens without network. Reports
   themselves are queued by offline.js in IndexedDB; this worker only serves the shell and, when the network
   returns, asks open pages to send their queue. Shared: registered as sw.js?page=<the page>&name=<app> by
   another app's phone page (the dispute registration page); without parameters it is the events' worker. */
var PARAMS = new URL(self.location.href).searchParams;
var NAME = (PARAMS.get("name") || "events").replace(/[^a-z]/g, "");
var CACHE = "pingan-" + NAME + "-v1";
var PAGE = PARAMS.get("page") || "/events/report/";
var SHELL = [PAGE, "/static/pingan/pingan.css", "/static/events/offline.js", "/static/events/fields.js", "/static/events/events.css"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    // Only this worker's older caches: the other phone page's worker keeps its own.
    return Promise.all(keys.filter(function (k) { return k !== CACHE && k.indexOf("pingan-" + NAME + "-") === 0; })
      .map(function (k) { return caches["delete"](k); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== location.origin) return;
  var shell = SHELL.indexOf(url.pathname) !== -1;
  if (!shell) return;
  // Network first (fresh form and CSRF token), the cached copy when offline.
  e.respondWith(fetch(req).then(function (res) {
    if (res.ok) { var copy = res.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
    return res;
  })["catch"](function () { return caches.match(req); }));
});
self.addEventListener("sync", function (e) {
  if (e.tag === "pingan-outbox") {
    e.waitUntil(self.clients.matchAll().then(function (list) { list.forEach(function (c) { c.postMessage("flush"); }); }));
  }
});
