// Starts the reader in two steps, so that a slow link shows posts before the wasm is here.
//
// 1. First paint, in plain DOM from archive.json alone (a few tens of kilobytes): the
//    top bar, the search box and the newest posts' rows, as the app will draw them.
//    Only text is set (textContent), never HTML; links are the app's own routes. Skipped
//    for deep links with filters or an open article: those wait for the app.
// 2. Then the app (wasm, ~355 KB gzip), fetched only once the first screen is up so that
//    it does not share the link with archive.json. The app takes over the page, the
//    search text typed meanwhile and archive.json's bytes (see src/app/boot.rs).
// 3. The sanitizer (src/bin/sanitizer.rs, ~243 KB gzip), a wasm module of its own that
//    only an article's body needs: loaded when the app first asks (src/app/sanitizer.rs:
//    an article opens, or the whole list is here), so that the list and the search do
//    not wait for it.
//
// Trunk writes the app's hashed file names into this script tag's data attributes
// (Trunk.toml, pattern_script), so no inline script is needed.
//
// The same file starts the portable edition (docs/portable.md), a page opened from disk
// that can fetch nothing: there it is a classic script (no ES modules from file pages,
// hence no top-level await), and static/portable.js, loaded before it, reads every file
// from the edition's packs.
const tag = document.querySelector('script[data-wasm]');
const portable = globalThis.newsreaderPortable;
const APP_CACHE = 'newsreader-app';
// The archive format whose head this first paint draws; any other is left to the app,
// which says what is wrong. Kept equal to src/archive/mod.rs by tests/it/tidy.rs.
const FORMAT_VERSION = 6;
const ARCHIVE_CACHE = 'newsreader-archive';

// An archive imported into this browser (`?archive=<id>`, src/app/imports.rs) is read
// by the app from this browser's storage: no first paint from the page's own archive.
const imported = new URLSearchParams(location.search).has('archive');
// Started at once (index.html preloads it too): the app reuses these bytes, and knows
// whether they came from what this device keeps (then it asks for a newer build at once;
// a portable edition's are all on this device, and it asks no server).
const archive = portable
  ? portable.get('archive/archive.json').then((bytes) => ({ bytes: bytes.buffer, kept: true }), () => null)
  : (imported ? Promise.resolve(null) : fetch('archive/archive.json'))
      .then(async (response) => {
        if (!response?.ok) return null;
        const bytes = await response.arrayBuffer();
        remember(ARCHIVE_CACHE, 'archive/archive.json', bytes, response);
        return { bytes, kept: response.headers.has('x-newsreader-cache') };
      })
      .catch(() => null);
globalThis.newsreaderArchive = archive;

/** Keeps a copy for offline use when no service worker did (the first visit). */
function remember(cache, url, bytes, response) {
  if (navigator.serviceWorker?.controller || !globalThis.caches) return Promise.resolve();
  const headers = { 'content-type': response.headers.get('content-type') ?? 'application/octet-stream' };
  return caches
    .open(cache)
    .then((c) => c.put(new URL(url, document.baseURI), new Response(bytes, { headers })))
    .catch(() => {});
}

// The interface's language: the reader's choice (src/app/texts.rs remembers it), else
// the first Chinese or English of the browser's languages (src/i18n.rs, Lang::for_browser,
// decides the same way), else English. Its catalogue comes with the archive, for the
// first paint's few words and then for the app.
function language() {
  let chosen = null;
  try {
    chosen = localStorage.getItem('newsreader.lang');
  } catch {}
  if (['zh-Hant', 'zh-Hans', 'en'].includes(chosen)) return chosen;
  for (const tag of navigator.languages ?? []) {
    const [first, ...rest] = tag.toLowerCase().split(/[-_]/);
    if (first === 'zh') return rest.some((p) => ['hant', 'tw', 'hk', 'mo'].includes(p)) ? 'zh-Hant' : 'zh-Hans';
    if (first === 'en') return 'en';
  }
  return 'en';
}
const lang = language();
document.documentElement.lang = lang;
const texts = (
  portable
    ? portable.get(`i18n/${lang}.json`).then((bytes) => bytes.buffer)
    : fetch(`i18n/${lang}.json`).then((response) => (response.ok ? response.arrayBuffer() : null))
).catch(() => null);
globalThis.newsreaderTexts = texts;
/** A message of the catalogue, filled; English words only if it could not be fetched. */
async function wording() {
  const bytes = await texts;
  let messages = {};
  try {
    messages = bytes ? JSON.parse(new TextDecoder().decode(bytes)).messages : {};
  } catch {}
  return (key, fallback, values = {}) =>
    (messages[key] ?? fallback).replace(/\{(\w+)\}/g, (whole, name) => values[name] ?? whole);
}

// The reader's settings (src/app/prefs.rs keeps them and applies the same attributes),
// before anything is drawn: a dark theme must not flash white, nor text jump in size.
function applySettings() {
  let settings = {};
  try {
    settings = JSON.parse(localStorage.getItem('newsreader.settings')) ?? {};
  } catch {}
  const root = document.documentElement;
  if (['light', 'dark', 'sepia'].includes(settings.theme)) root.dataset.theme = settings.theme;
  root.dataset.measure = ['narrow', 'wide'].includes(settings.line_width) ? settings.line_width : 'medium';
  root.dataset.leading = ['compact', 'relaxed'].includes(settings.line_height) ? settings.line_height : 'normal';
  // Through the CSSOM, which the CSP allows (a style attribute it does not).
  if (Number.isInteger(settings.text_size) && settings.text_size >= 50 && settings.text_size <= 300) {
    root.style.fontSize = `${settings.text_size}%`;
  }
}
applySettings();

const plainList = () => ['', '#', '#/'].includes(location.hash);

function element(name, attributes = {}, ...children) {
  const el = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) if (value != null) el.setAttribute(key, value);
  for (const child of children) el.append(child);
  return el;
}

/** The newest posts as rows: from a manifest's head, or a whole archive's first articles. */
function headOf(json) {
  if (json.layout === 'sharded') return json.head;
  return json.articles.slice(0, 40).map((a) => ({ ...a }));
}

/** While archive.json is on its way: the same progress screen the app shows. */
function loading(t) {
  const screen = element(
    'main',
    { class: 'status', id: 'boot', 'data-testid': 'loading', 'aria-busy': 'true' },
    element('h1', {}, t('loading-archive', 'Loading the archive…')),
    element('progress'),
  );
  document.body.prepend(screen);
  return screen;
}

async function firstPaint() {
  const t = await wording();
  // Not for a fast answer: only if the archive takes long enough for a blank page to show.
  const slow = setTimeout(() => (shown = loading(t)), 200);
  let shown = null;
  const fetched = await archive;
  clearTimeout(slow);
  shown?.remove();
  const bytes = fetched?.bytes;
  if (!bytes || !plainList()) return;
  let json;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return; // the app says what is wrong with it
  }
  if (json.format_version !== FORMAT_VERSION) return;
  const count = json.counts?.archived ?? 0;
  const number = new Intl.NumberFormat(lang).format(count);
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const rows = headOf(json).map((post, at) =>
    element(
      'div',
      { class: 'row-item', role: 'listitem', 'data-at': at },
      element(
        'a',
        { class: 'row', 'data-testid': 'row', href: `#/a/${encodeURIComponent(post.id)}`, tabindex: at === 0 ? 0 : -1 },
        element('span', { class: 'row-title', lang: post.lang }, post.title),
        element('span', { class: 'row-meta' }, element('time', {}, date.format(new Date(post.ts * 1000))), ` · ${post.source}`),
        element('span', { class: 'row-excerpt', lang: post.lang }, post.excerpt ?? ''),
      ),
    ),
  );
  const search = element('input', {
    id: 'boot-search',
    class: 'search',
    type: 'search',
    placeholder: t('search-placeholder', 'Search titles and text  ( / )'),
    'aria-label': t('search-label', 'Search titles and text'),
  });
  const built = (json.generated_at ?? '').slice(0, 10);
  const posts = count === 1 ? t('posts-one', ' post') : t('posts-many', ' posts');
  const root = element(
    'div',
    { class: 'reader', id: 'boot', 'data-testid': 'boot', 'aria-busy': 'true' },
    element(
      'header',
      { class: 'top' },
      element(
        'div',
        { class: 'topbar' },
        element('h1', { class: 'brand' }, element('a', { href: '#/' }, t('brand', 'News archive'))),
        element('span', { class: 'archive-info' }, t('archive-info', '{posts} posts · built {date}', { posts: number, date: built })),
      ),
    ),
    element(
      'main',
      { class: 'panes' },
      element(
        'section',
        { class: 'list-pane', 'aria-label': t('articles-region', 'Articles') },
        element(
          'div',
          { class: 'filters' },
          search,
          element('div', { class: 'list-head' }, element('span', { class: 'count' }, element('strong', {}, number), posts)),
        ),
        element('div', { class: 'list', role: 'list' }, ...rows),
      ),
      element('section', { class: 'article-pane' }, element('div', { class: 'placeholder' }, element('p', {}, '…'))),
    ),
  );
  document.body.prepend(root);
}

// The sanitizer module, once loaded: what the app calls, and its memory (for the bench).
let sanitizer = null;
let sanitizerLoading = null;
// Fetched ahead only after this long without a key, a click or a scroll.
const PREFETCH_QUIET_MS = 3000;
let prefetching = false;

/** Fetches and starts the sanitizer module; kept for offline use as the app's wasm is. */
async function loadSanitizer() {
  const glue = await import(tag.dataset.sanitizerJs);
  const url = tag.dataset.sanitizerWasm;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText} for ${url}`);
  const copy = response.clone();
  const kept = copy.arrayBuffer().then((bytes) => remember(APP_CACHE, url, bytes, copy)).catch(() => {});
  const wasm = await glue.default({ module_or_path: response });
  await kept;
  sanitizer = { sanitize: glue.sanitize, memory: wasm.memory };
}

// What src/app/sanitizer.rs calls. A failed load is tried again on the next call.
globalThis.newsreaderSanitizer = {
  load() {
    sanitizerLoading ??= loadSanitizer().catch((error) => {
      sanitizerLoading = null;
      throw error;
    });
    return sanitizerLoading;
  },
  /**
   * Loads it once the reader has left the page alone for a while: soon needed, not yet.
   * Fetching it takes the link, and starting it the main thread, from whatever the
   * reader is doing (a search typed meanwhile would wait for both).
   */
  prefetch() {
    if (prefetching) return;
    prefetching = true;
    const events = ['keydown', 'pointerdown', 'input', 'wheel'];
    let timer = null;
    const go = () => {
      for (const type of events) removeEventListener(type, wait, true);
      const idle = globalThis.requestIdleCallback ?? ((run) => setTimeout(run, 0));
      idle(() => this.load().catch(() => {}), { timeout: 10_000 });
    };
    const wait = () => {
      clearTimeout(timer);
      timer = setTimeout(go, PREFETCH_QUIET_MS);
    };
    for (const type of events) addEventListener(type, wait, { capture: true, passive: true });
    wait();
  },
  /** The cleaned HTML, or undefined until the module is loaded. */
  sanitize: (html, images) => sanitizer?.sanitize(html, images),
};

/** Diagnostics (bench/): the wasm memories' size, which the JS heap does not include. */
function reportMemory(wasm) {
  globalThis.newsreaderMemoryBytes = () => wasm.memory.buffer.byteLength + (sanitizer?.memory.buffer.byteLength ?? 0);
}

/** The portable edition's app: wasm-bindgen's classic glue, and the wasm from the packs. */
async function startPortable() {
  await portable.script(tag.dataset.js);
  // Its wasm has the sanitizer linked in (a file page imports no module).
  // The glue declares `wasm_bindgen` with `let`: a global binding, not a property of globalThis.
  // eslint-disable-next-line no-undef
  const wasm = await wasm_bindgen({ module_or_path: await portable.get(tag.dataset.wasm) });
  reportMemory(wasm);
  // No service worker: a file page cannot register one, nor needs it.
}

async function startApp() {
  if (portable) return startPortable();
  // A link to an article needs the sanitizer as soon as the app is up. A failure is the
  // article's to show: the app asks again when it opens it.
  if (location.hash.startsWith('#/a/')) globalThis.newsreaderSanitizer.load().catch(() => {});
  const { default: init } = await import(tag.dataset.js);
  const wasmUrl = tag.dataset.wasm;
  const response = await fetch(wasmUrl);
  const copy = response.clone();
  const kept = copy.arrayBuffer().then((bytes) => remember(APP_CACHE, wasmUrl, bytes, copy)).catch(() => {});
  const wasm = await init({ module_or_path: response });
  reportMemory(wasm);
  // The worker that makes the reader work offline, once the wasm is kept (its install
  // then has no reason to download it again). Absent on plain http:// hosts other than
  // localhost and on file:// pages; the reader works without it.
  await kept;
  navigator.serviceWorker?.register('sw.js').catch(() => {});
}

// Two frames: the first screen is painted before the app's download starts.
firstPaint()
  .then(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))))
  .then(startApp);
