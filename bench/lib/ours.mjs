// This project's side: the archive build (timed), the `query` subcommand (our engine's
// ids and the brute-force oracle's), and the reader app driven in Chromium.
import { join } from 'node:path';
import { freshContext, heapAfterGc, IN_PAGE_HELPERS, median, percentile, serveRoot } from './browser.mjs';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirSize, freshDir } from './files.mjs';
import { run, runMeasured } from './proc.mjs';

/** What this build of the CLI supports: `build --layout` and the `query` subcommand. */
export async function cliFeatures(cli) {
  const help = (await run(cli, ['--help'], { quiet: true })).stdout;
  const buildHelp = (await run(cli, ['build', '--help'], { quiet: true })).stdout;
  return { layout: buildHelp.includes('--layout'), query: /^\s+query\b/m.test(help), cache: buildHelp.includes('--no-cache') };
}

/**
 * The app's wasm modules in `dist`, raw and gzip level 9 (Node's zlib): the
 * reader, which every visit loads, and the sanitizer module, loaded when an article
 * first opens. { reader: { raw, gzip }, sanitizer: { raw, gzip } | null }.
 */
export function appWasm(dist) {
  const sizes = (name) => {
    const bytes = readFileSync(join(dist, name));
    return { file: name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const wasm = readdirSync(dist).filter((f) => f.endsWith('_bg.wasm'));
  const of = (prefix) => wasm.filter((f) => f.startsWith(prefix)).map(sizes)[0] ?? null;
  return { reader: of('reader-'), sanitizer: of('sanitizer-') };
}

/** A clean build, whatever a build cache beside `out` remembers (the peers have none). */
const clean = (features) => (features.cache ? ['--no-cache'] : []);

/** The timed build: the archive the app ships (layout chosen by the CLI), from `posts`. */
export async function buildArchive(cli, features, posts, out, limits) {
  // The last run's output is moved aside and deleted after the timed build: ext4 creates
  // files slowly next to thousands of inodes freed moments before, which would time the
  // file system's bookkeeping rather than the build.
  const old = `${out}.old-${Date.now()}`;
  if (existsSync(out)) renameSync(out, old);
  mkdirSync(out, { recursive: true });
  const layout = features.layout ? ['--layout', 'auto'] : [];
  const result = await runMeasured(cli, ['build', ...posts, '-o', out, ...layout, ...clean(features)], limits);
  rmSync(old, { recursive: true, force: true });
  if (!result.ok) throw new Error(`newsarchive build failed (${result.code ?? result.signal}):\n${result.stderr}`);
  // diagnostics.json is a report for the archivist; the app never fetches it.
  const index = dirSize(out, ['diagnostics.json']);
  return { ms: result.ms, peakBytes: result.peakBytes, summary: result.stdout.trim(), indexBytes: index.bytes, indexFiles: index.files };
}

/**
 * The same posts as one JSON file with every title and body (untimed): the input for
 * Pagefind's pages, FlexSearch's documents and the generator. Before format 2 the CLI
 * had no --layout and always wrote this shape.
 */
export async function buildSingle(cli, features, posts, out) {
  freshDir(out);
  const layout = features.layout ? ['--layout', 'single'] : [];
  await run(cli, ['build', ...posts, '-o', out, ...layout, ...clean(features)], { quiet: true });
  const file = join(out, 'archive.json');
  const archive = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(archive.bodies)) throw new Error(`${file} has no bodies: not the single layout`);
  return { file, archive };
}

/** `newsarchive query OUT [--oracle] QUERY...` as { query: [ids] }, or null without the subcommand. */
export async function queryIds(cli, features, out, queries, { oracle = false } = {}) {
  if (!features.query) return null;
  const { stdout } = await run(cli, ['query', out, ...(oracle ? ['--oracle'] : []), ...queries], { quiet: true });
  return JSON.parse(stdout);
}

// Installed before the app's scripts: notes when the first list row is on screen, in ms
// since navigation (the page's time origin). Rows are in the DOM at the mutation; the
// frame that shows them ends after the next animation frame's callbacks.
const FIRST_ROW_PROBE = () => {
  const probe = new MutationObserver(() => {
    if (!document.querySelector('[data-testid=row]')) return;
    probe.disconnect();
    requestAnimationFrame(() => setTimeout(() => (globalThis.__firstRowMs = performance.now())));
  });
  probe.observe(document, { childList: true, subtree: true });
};

// Runs one query through the URL, as a shared link or Back would (no typing debounce),
// and waits until the count says it is for this query and no longer busy.
export const QUERY_IN_PAGE = async (query) => {
  performance.clearMeasures('newsreader:search');
  const t0 = performance.now();
  location.hash = query ? `#/?q=${encodeURIComponent(query)}` : '#/';
  const el = await __bench.until(() => {
    const count = document.querySelector('[data-testid="result-count"]');
    const done = count && (count.getAttribute('data-query') ?? '') === query && count.getAttribute('aria-busy') !== 'true';
    return done && count;
  });
  const end = performance.now();
  const event = __bench.lastHashchange > t0 ? __bench.lastHashchange : null;
  // engine: the app's User Timing measure of search + rank + filter (what Pagefind's
  // search() call does), without rendering. The app records it in an effect after the
  // render, and Yew 0.23 yields to the browser between a long render and its effects,
  // so the count can be on screen first: waited for (a few tasks), null if it never comes.
  const measured = () => performance.getEntriesByName('newsreader:search', 'measure').at(-1)?.duration;
  let engine = measured();
  for (let i = 0; engine == null && i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    engine = measured();
  }
  engine ??= null;
  // afterEvent: the app's own share, without the browser's delay in delivering hashchange.
  return { ms: end - t0, afterEvent: event && end - event, engine, count: Number(el.textContent.replace(/\D/g, '')) };
};

// The app is interactive once it has replaced boot.js's first paint (the rows drawn from
// archive.json before the wasm) and sized its virtual list.
export const APP_INTERACTIVE = () =>
  __bench.until(() => !document.querySelector('[data-testid=boot]') && document.querySelector('.list > .spacer')?.style.height && performance.now(), 120_000);

async function openApp(browser, server) {
  const context = await freshContext(browser);
  await context.addInitScript(IN_PAGE_HELPERS);
  await context.addInitScript(FIRST_ROW_PROBE);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const stopCounting = server.count();
  await page.goto(`${server.url}#/`);
  const shown = await page.evaluate(() =>
    __bench.until(() => {
      if (globalThis.__firstRowMs) return { firstRowMs: globalThis.__firstRowMs };
      const error = document.querySelector('[data-testid=error]');
      return error && { error: error.textContent.trim() };
    }, 120_000),
  );
  if (shown.error) throw new Error(`the app shows an error instead of the list: ${shown.error}`);
  const { firstRowMs } = shown;
  // The first row is boot.js's; queries need the app itself.
  await page.evaluate(APP_INTERACTIVE);
  // Whatever the app fetches after its first paint (prefetching) counts as page load,
  // not as the first query: a reader types after the page has settled.
  await server.idle();
  const load = stopCounting();
  const memory = async () => {
    const heap = await heapAfterGc(context, page);
    const wasm = await page.evaluate(() => globalThis.newsreaderMemoryBytes?.() ?? null);
    return { heap, wasm, total: heap + (wasm ?? 0) };
  };
  const query = (q) => page.evaluate(QUERY_IN_PAGE, q);
  return { context, page, errors, firstRowMs, loadBytes: load.bytes, memory, query };
}

/** Frame intervals while the list scrolls by `step` px per frame (the app re-renders rows on scroll). */
const SCROLL_IN_PAGE = async ([frames, step]) => {
  const list = document.querySelector('.list');
  const deltas = [];
  let last = await __bench.frame();
  for (let i = 0; i < frames; i++) {
    list.scrollTop += step;
    const now = await __bench.frame();
    deltas.push(now - last);
    last = now;
  }
  return { deltas, scrolledTo: list.scrollTop, scrollHeight: list.scrollHeight };
};

/**
 * ms from a click on a source facet until the count changes and the next frame, `times`
 * toggles. Before each click the page settles (a frame, then an idle period), as a
 * reader's clicks come between renders; a click whose count has not changed after
 * `waitMs` is lost (the list no longer follows the checkbox).
 */
const FACET_IN_PAGE = async ([name, times, waitMs]) => {
  const panel = document.querySelector('details.filter-panel');
  if (panel && !panel.open) panel.querySelector('summary').click();
  const settle = () => new Promise((resolve) => requestAnimationFrame(() => requestIdleCallback(resolve, { timeout: 1000 })));
  const count = () => document.querySelector('[data-testid="result-count"]').textContent;
  const box = () =>
    [...document.querySelectorAll('[data-testid="facet-source"] input[type=checkbox]')].find((b) => b.value === name);
  await settle();
  if (!box()) return null;
  const ms = [];
  const lost = [];
  for (let i = 0; i < times; i++) {
    await settle();
    const before = count();
    const t0 = performance.now();
    box().click();
    try {
      await __bench.until(() => count() !== before, waitMs);
      await __bench.frame();
      ms.push(performance.now() - t0);
    } catch {
      lost.push(i + 1);
    }
  }
  return { ms, lost };
};

/** `work()`'s value, or { failed: message } (one measurement failing keeps the others). */
async function attempt(work) {
  try {
    return await work();
  } catch (error) {
    return { failed: String(error.message ?? error).split('\n')[0].slice(0, 300) };
  }
}

// A query's files fetched by plain JS side by side, past the caches, each to the end of
// its body: what the server and the browser alone take to deliver them, so that the
// report can tell the app's share of a cold query from the cost of its requests.
const FETCH_IN_PAGE = async (paths) => {
  const t0 = performance.now();
  await Promise.all(paths.map((p) => fetch(p, { cache: 'no-store' }).then((r) => r.arrayBuffer())));
  return performance.now() - t0;
};

/**
 * ms to fetch `paths` by plain JS from a page in the state the cold query starts from
 * (another fresh context, the app loaded, the network idle): fetched again in the
 * query's own page they would come sooner, over connections the query has just opened.
 */
async function fetchFloor(browser, server, paths) {
  const app = await openApp(browser, server);
  try {
    return await app.page.evaluate(FETCH_IN_PAGE, paths);
  } finally {
    await app.context.close().catch(() => {});
  }
}

/** Cold: per query and run, a fresh context, first list paint, then the query. */
async function measureCold(browser, server, { queries, coldRuns }) {
  const cold = Object.fromEntries(queries.map((q) => [q, []]));
  const firstPaints = [];
  const loadBytes = [];
  const failed = {};
  for (let r = 0; r < coldRuns; r++) {
    for (const q of queries) {
      if (failed[q]) continue;
      let app = null;
      try {
        app = await openApp(browser, server);
        firstPaints.push(app.firstRowMs);
        loadBytes.push(app.loadBytes);
        const stopCounting = server.count();
        const { ms, afterEvent, count } = await app.query(q);
        const measured = stopCounting();
        // For information: what the page goes on to fetch for this query (the visible
        // rows' snippets) until the network is quiet again.
        const stopAfter = server.count();
        await server.idle();
        // The index buckets are what answers the query, as Pagefind's number is its index
        // chunks (its excerpts, "fragments", are not loaded); the rows' details shards
        // (excerpts and snippets) start after the count is drawn but may land before the
        // poll sees it, so they are kept apart.
        const index = measured.responses.filter((x) => x.path.includes('/archive/search/'));
        const indexBytes = index.reduce((sum, x) => sum + x.bytes, 0);
        const bytesUntilIdle = measured.bytes + stopAfter().bytes;
        const run = { ms, afterEvent, count, ...measured, indexBytes, indexFiles: index.length, bytesUntilIdle };
        if (app.errors.length) run.errors = app.errors;
        // Closed first: its page would go on keeping files meanwhile.
        await app.context.close();
        app = null;
        // For reference only: its failure is recorded, the query's numbers stand.
        const floor = await attempt(() => fetchFloor(browser, server, index.map((x) => x.path)));
        if (floor.failed) run.fetchFloorFailed = floor.failed;
        else run.fetchFloorMs = floor;
        cold[q].push(run);
      } catch (error) {
        failed[q] = String(error.message ?? error).split('\n')[0].slice(0, 300);
      } finally {
        await app?.context.close().catch(() => {});
      }
    }
  }
  const perQuery = ([q, runs]) => [
    q,
    failed[q]
      ? { failed: failed[q] }
      : {
          runs,
          ms: median(runs.map((x) => x.ms)),
          bytes: median(runs.map((x) => x.bytes)),
          indexBytes: median(runs.map((x) => x.indexBytes)),
          indexFiles: median(runs.map((x) => x.indexFiles)),
          fetchFloorMs: median(runs.map((x) => x.fetchFloorMs).filter((ms) => ms != null)),
          count: runs[0].count,
        },
  ];
  return {
    firstPaint: { ms: firstPaints, median: median(firstPaints) },
    pageLoadBytes: { bytes: loadBytes, median: median(loadBytes) },
    cold: Object.fromEntries(Object.entries(cold).map(perQuery)),
  };
}

// src/app/hooks/use_results.rs: RECENT_QUERIES.
const RECENT_ANSWERS = 8;
const FILLERS = ['香港', '美國', '北京', '日本', '經濟', '選舉', '政府', '中國', 'police'];

/**
 * An order of `queries`, with fillers, in which each comes after more distinct queries
 * than the app keeps recent answers (8), so that every one is searched anew rather than
 * recalled: `queries[0]` last, so that it too comes after all the others.
 */
export function searchedAnew(queries) {
  const fillers = FILLERS.filter((f) => !queries.includes(f)).slice(0, Math.max(0, RECENT_ANSWERS + 1 - queries.length));
  return { fillers, cycle: [...queries.slice(1), ...fillers, queries[0]] };
}

/**
 * Warm: one session; a first round of every query (and filler) loads their index
 * buckets, then `warmRuns` rounds, each query searched anew with its buckets loaded,
 * as Pagefind's search() runs again on its loaded chunks (it keeps no answers).
 */
async function measureWarm(app, { queries, warmRuns }) {
  const warm = {};
  const { cycle } = searchedAnew(queries);
  const first = {};
  for (const q of cycle) first[q] = await app.query(q);
  const runsOf = Object.fromEntries(queries.map((q) => [q, []]));
  for (let r = 0; r < warmRuns; r++) {
    for (const q of cycle) {
      const result = await app.query(q);
      runsOf[q]?.push(result);
    }
  }
  for (const q of queries) {
    const runs = runsOf[q];
    const afterEvent = runs.map((x) => x.afterEvent).filter((x) => x != null);
    const engine = runs.map((x) => x.engine).filter((x) => x != null);
    warm[q] = {
      firstInSession: first[q],
      ms: runs.map((x) => x.ms),
      median: median(runs.map((x) => x.ms)),
      medianAfterEvent: median(afterEvent),
      engineMs: engine,
      medianEngine: engine.length ? median(engine) : null,
    };
  }
  return warm;
}

async function measureScroll(app) {
  const scroll = await app.page.evaluate(SCROLL_IN_PAGE, [180, 600]);
  return {
    frames: scroll.deltas.length,
    stepPx: 600,
    p50: percentile(scroll.deltas, 50),
    p95: percentile(scroll.deltas, 95),
    max: Math.max(...scroll.deltas),
    scrolledTo: scroll.scrolledTo,
    scrollHeight: scroll.scrollHeight,
  };
}

async function measureFacet(app, source, { times = 10, waitMs = 5000 } = {}) {
  const result = await app.page.evaluate(FACET_IN_PAGE, [source, times, waitMs]);
  if (!result) throw new Error(`no source facet checkbox named ${source}`);
  const { ms, lost } = result;
  return { source, clicks: times, ms, lost, median: median(ms), max: ms.length ? Math.max(...ms) : null };
}

/**
 * Drives the app served from `root` (the app's files, the archive as archive/).
 * Cold: per query and run, a fresh context, first list paint, then the query.
 * Warm: one session; each query after another one, `warmRuns` times. Memory: JS heap
 * after GC plus wasm memory, after first paint and after all queries. Then scrolling
 * and a facet click on the unfiltered list. Each measurement that fails is
 * { failed: message } and the others still run.
 */
export async function measureApp(browser, { root, queries, coldRuns, warmRuns, facetSource }) {
  const server = await serveRoot(root);
  let app = null;
  try {
    const cold = await measureCold(browser, server, { queries, coldRuns });
    const session = await attempt(async () => (app = await openApp(browser, server)));
    const inSession = (work) => (session.failed ? session : attempt(work));
    const afterPaint = await inSession(() => app.memory());
    const warm = await inSession(() => measureWarm(app, { queries, warmRuns }));
    const afterQueries = await inSession(() => app.memory());
    const memory =
      afterPaint.failed || afterQueries.failed
        ? { failed: afterPaint.failed ?? afterQueries.failed }
        : { afterPaint, afterQueries, searchIndex: afterQueries.total - afterPaint.total };
    // Smoothness on the unfiltered list: scrolling, then a facet filter click.
    await inSession(() => app.query(''));
    const scroll = await inSession(() => measureScroll(app));
    const facetClick = facetSource ? await inSession(() => measureFacet(app, facetSource)) : null;
    return { ...cold, warm, memory, scroll, facetClick, errors: app?.errors ?? [] };
  } finally {
    await app?.context.close().catch(() => {});
    await server.close();
  }
}
