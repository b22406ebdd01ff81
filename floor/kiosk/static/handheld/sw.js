/* floor handheld service worker: the page and its assets from the cache when the network is gone.
 * Assets: cache first (they change with a new CACHE name). Pages and JSON: network first, cache as fallback.
 * Scans are never handled here: POST /api/scans goes to the network, the page keeps them in IndexedDB. */
const CACHE = "floor-handheld-v1";
const ASSETS = [
  "/handheld/static/handheld.js",
  "/handheld/static/handheld.css",
  "/handheld/static/ok.wav",
  "/handheld/static/bad.wav",
  "/handheld/static/icon.svg",
  "/handheld/static/icon-192.png",
  "/handheld/static/icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("floor-handheld-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith("/handheld/")) return;
  if (url.pathname.includes("/devices/") || url.pathname.endsWith("/lookup")) return; // live answers only
  if (url.pathname.startsWith("/handheld/static/")) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
    return;
  }
  event.respondWith(
    fetch(req)
      .then((resp) => {
        if (resp.ok) {
          const copy = resp.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return resp;
      })
      .catch(() => caches.match(req, { ignoreSearch: false }).then((hit) => hit || caches.match(url.pathname, { ignoreSearch: true })))
  );
});
