// Offline support: the reader's own files, and the archive's files the page kept.
//
// Two caches, each with one writer:
// - newsreader-app: the app (index.html, the files it names, and ALWAYS). This worker
//   fills it on install and after every fresh copy of the page, and forgets files the
//   page no longer names, except the OPTIONAL ones it holds. (boot.js puts the app's wasm
//   there itself on the first visit, and the sanitizer's when it loads it before this
//   worker is in control, so that neither is downloaded twice.)
// - newsreader-archive: archive.json and the files it names. Only the page writes it
//   (src/app/offline.rs): what it fetched on its first visit before this worker was in
//   control, what it fetches later, and the whole archive when saved for offline; and it
//   keeps archive.json as the version whose files it holds, so an update check never
//   replaces the copy offline reading relies on. This worker only reads it.
const APP = 'newsreader-app';
const ARCHIVE = 'newsreader-archive';
// Named by their contents: a cached copy is always right. Trunk writes its hashes as
// `{:x}` of a u64, without leading zeros: 1 to 16 digits (one CSS name in 16 has 15).
const ARCHIVE_FILE = /\/archive\/(?:(?:list|details)\/[0-9a-f]{16}\.json|search\/[0-9a-f]{16}\/\d+\.bin)$/;
const HASHED = /-[0-9a-f]{1,16}(?:_bg)?\.(?:js|wasm|css)$/;
const MANIFEST = /\/archive\/archive\.json$/;
// What the page does not name but always needs: boot.js fetches the catalogue of the
// interface's language (Trunk copies static/i18n/ without naming it in index.html), and
// the reader can switch to another language offline too, so all three are kept.
const ALWAYS = [
  './',
  './boot.js',
  './manifest.webmanifest',
  './icon.svg',
  './i18n/en.json',
  './i18n/zh-Hant.json',
  './i18n/zh-Hans.json',
];
// What the page fetches only when asked: the Simplified→Traditional table (only when
// the reader turns on Traditional characters; 255 KB gzip that most readers never need)
// and its licence. Not fetched here; once the page fetched them, answered from the cache
// like hashed files (the table is not downloaded again on every visit), and kept until
// a new version of the reader, whose own table is fetched when the setting next needs it.
const OPTIONAL = ['./s2t.txt', './licenses/OpenCC-LICENSE.txt'];
// A slow or dead link must not keep a page that is here already from opening.
const NETWORK_PATIENCE_MS = 4000;

async function keepAppFiles(indexResponse) {
  const cache = await caches.open(APP);
  const html = await indexResponse.clone().text();
  const wanted = new Set(ALWAYS.map((u) => new URL(u, self.registration.scope).href));
  // The sanitizer's wasm (boot.js) is named too, but fetched only when the page first
  // needs it: here it is kept once it is, not downloaded (243 KB on a slow link, while
  // the reader's first searches want it). Its small glue is fetched like the rest.
  const later = new Set();
  for (const [, name, url] of html.matchAll(/(href|src|data-js|data-wasm|data-sanitizer-js|data-sanitizer-wasm)="([^"]+)"/g)) {
    const absolute = new URL(url, self.registration.scope);
    if (absolute.origin !== self.location.origin || absolute.pathname.includes('/archive/')) continue;
    (name === 'data-sanitizer-wasm' ? later : wanted).add(absolute.href);
  }
  const root = new URL('./', self.registration.scope).href;
  // A new version of the reader is a new index.html (its hashed file names change).
  const previous = await cache.match(root).then((r) => r?.text());
  const newVersion = previous !== html;
  await cache.put(root, indexResponse);
  for (const url of wanted) {
    if (url === root) continue;
    // Hashed files never change: fetch only what is missing. The others (boot.js, the
    // catalogues) change with a new version under the same name: fetched again then
    // (not on every visit, where they would share a slow link with the archive), kept
    // only when they arrive, so a failed fetch leaves the old copy working.
    const missing = !(await cache.match(url));
    if (HASHED.test(new URL(url).pathname)) {
      if (missing) await cache.add(url).catch(() => {});
    } else if (missing || newVersion) {
      await fetch(url, { cache: 'no-cache' })
        .then((response) => response.ok && cache.put(url, response))
        .catch(() => {});
    }
  }
  // Optional files are kept until a new version, whose own copies are fetched when used.
  const kept = new Set([
    ...wanted,
    ...later,
    ...(newVersion ? [] : OPTIONAL.map((u) => new URL(u, self.registration.scope).href)),
  ]);
  for (const request of await cache.keys()) {
    if (!kept.has(request.url.split('?')[0])) await cache.delete(request);
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

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== APP && n !== ARCHIVE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/** The network's answer, or a timeout after NETWORK_PATIENCE_MS. */
function network(request) {
  return Promise.race([
    fetch(request),
    new Promise((_, fail) => setTimeout(() => fail(new Error('the network is too slow')), NETWORK_PATIENCE_MS)),
  ]);
}

/** The cached copy, marked so that the page knows not to keep it again. */
async function cached(cacheName, request, options) {
  const hit = await (await caches.open(cacheName)).match(request, options);
  if (!hit) return null;
  const headers = new Headers(hit.headers);
  headers.set('x-newsreader-cache', 'hit');
  return new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;

  if (ARCHIVE_FILE.test(url.pathname)) {
    event.respondWith(cached(ARCHIVE, request).then((hit) => hit || fetch(request)));
    return;
  }
  if (MANIFEST.test(url.pathname)) {
    // The newest when the network answers (update checks ask with cache: no-store);
    // else the version the page keeps.
    event.respondWith(
      network(request).catch(async (error) => (await cached(ARCHIVE, url.href, { ignoreSearch: true })) || Promise.reject(error)),
    );
    return;
  }
  if (HASHED.test(url.pathname) || OPTIONAL.some((u) => new URL(u, self.registration.scope).href === url.href)) {
    event.respondWith(
      cached(APP, request).then(
        (hit) =>
          hit ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              event.waitUntil(caches.open(APP).then((cache) => cache.put(request, copy)));
            }
            return response;
          }),
      ),
    );
    return;
  }
  const page = request.mode === 'navigate';
  event.respondWith(
    network(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(page ? keepAppFiles(copy) : caches.open(APP).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(async (error) => {
        const hit = page
          ? await cached(APP, new URL('./', self.registration.scope).href)
          : await cached(APP, request, { ignoreSearch: true });
        return hit || Response.error();
      }),
  );
});
