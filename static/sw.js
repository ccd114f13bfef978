// Offline support. Same-origin GET requests go to the network first, so a republished
// archive shows up at once, and fall back to the last copy cached when the network is
// gone. Other origins (remote images the reader opted into) are not touched.
//
// The first visit's requests all happen before this worker is in control, so it also
// fetches the page's own files itself (read from index.html: Trunk hashes their names)
// on install and after every fresh copy of the page, and forgets files the page no
// longer uses.
const CACHE = 'newsreader-v1';
// Shards of a sharded archive are named by the hash of their bytes: a cached copy is
// always current, so they are served from the cache first and kept when the app changes.
const SHARD = /\/archive\/(list|details|search)\/[0-9a-f]{16}\.(json|bin)$/;
const ALWAYS = ['./', './archive/archive.json', './boot.js', './manifest.webmanifest', './icon.svg'];

async function keepAppFiles(indexResponse) {
  const cache = await caches.open(CACHE);
  const html = await indexResponse.clone().text();
  const wanted = new Set(ALWAYS.map((u) => new URL(u, self.registration.scope).href));
  for (const [, url] of html.matchAll(/(?:href|src|data-js|data-wasm)="([^"]+)"/g)) {
    const absolute = new URL(url, self.registration.scope);
    if (absolute.origin === self.location.origin) wanted.add(absolute.href);
  }
  await cache.put(new URL('./', self.registration.scope).href, indexResponse);
  for (const url of wanted) {
    // Hashed files never change: fetch only what is missing.
    if (!(await cache.match(url))) await cache.add(url).catch(() => {});
  }
  for (const request of await cache.keys()) {
    const url = request.url.split('?')[0];
    if (!wanted.has(url) && !SHARD.test(new URL(url).pathname)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    fetch(new URL('./', self.registration.scope), { cache: 'no-cache' })
      .then((response) => response.ok && keepAppFiles(response))
      .catch(() => {})
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (SHARD.test(new URL(request.url).pathname)) {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
            }
            return response;
          }),
      ),
    );
    return;
  }
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          const isPage = request.mode === 'navigate';
          event.waitUntil(
            isPage ? keepAppFiles(copy) : caches.open(CACHE).then((cache) => cache.put(request, copy)),
          );
        }
        return response;
      })
      .catch(() =>
        caches
          .match(request, { ignoreSearch: true })
          .then((cached) => cached || (request.mode === 'navigate' && caches.match(new URL('./', self.registration.scope).href)) || Response.error()),
      ),
  );
});
