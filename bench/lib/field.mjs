// The reader where its readers are: a phone on Lighthouse's slow mobile link (150 ms,
// 1.6 Mbit/s, link.mjs) to a host like GitHub Pages (gzip, max-age=600), the page and
// its service worker sharing the link. Ours: the first row, the first results when
// typing (once the app has taken over, and as soon as the first row shows), and saving
// for offline, then searching offline. Pagefind: the same first screen and first
// results with its Default UI, on the same link.
import { freshContext, IN_PAGE_HELPERS, median } from './browser.mjs';
import { serveOverLink } from './link.mjs';
import { APP_INTERACTIVE, QUERY_IN_PAGE, searchedAnew } from './ours.mjs';

// The browser's own icon fetches come whenever it likes, not from the page's needs.
const uncounted = (url) => /\/(favicon\.ico|icon\.svg)$/.test(url);

// Installed before any page script: when `selector` first matched, in ms since
// navigation (the frame that shows it ends after the next animation frame), and when
// the last input event came (a keystroke into a search box).
const PROBES = (selector) => {
  const probe = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    probe.disconnect();
    requestAnimationFrame(() => setTimeout(() => (globalThis.__shownMs = performance.now())));
  });
  probe.observe(document, { childList: true, subtree: true });
  addEventListener('input', () => (globalThis.__lastInputMs = performance.now()), true);
};

const SHOWN = () => __bench.until(() => globalThis.__shownMs, 120_000);

// Starts watching for the answer to `query` before it is typed; `__answered` resolves
// with the time it was on screen. Ours: the count says this query and is not busy, and
// the first row is a post (not a placeholder). Pagefind's Default UI: its message names
// the query and the first result's title has loaded.
const WATCH_IN_PAGE = ([engine, query]) => {
  const answered = {
    ours() {
      const count = document.querySelector('[data-testid=result-count]');
      if (count?.getAttribute('data-query') !== query || count.getAttribute('aria-busy') === 'true') return false;
      // The first in document order; rows sit in `role=listitem` wrappers (issue 9).
      const first = document.querySelector('.list [data-testid=row], .list [data-testid=row-loading], [data-testid=no-results]');
      return first && !first.matches('[data-testid=row-loading]') && (first.matches('[data-testid=no-results]') || first.querySelector('.row-title'));
    },
    pagefind() {
      const message = document.querySelector('.pagefind-ui__message')?.textContent ?? '';
      const title = document.querySelector('.pagefind-ui__result-title:not(.pagefind-ui__loading)');
      return message.includes(query) && (title?.textContent.trim() || /^No results/.test(message));
    },
  }[engine];
  // Lost: ours has taken over with another query in its search box, and a second later
  // still has (the app's own box starts empty and is filled from what was typed).
  let otherSince = null;
  const lost = () => {
    const box = engine === 'ours' && !document.querySelector('[data-testid=boot]') && document.querySelector('[data-testid=search]');
    otherSince = box && box.value !== query ? (otherSince ?? performance.now()) : null;
    return otherSince != null && performance.now() - otherSince > 1000 && { lost: `the search box says "${box.value}"` };
  };
  globalThis.__answered = __bench.until(() => (answered() && { at: performance.now() }) || lost(), 60_000);
};
const ANSWERED = async () => ({ ...(await globalThis.__answered), lastInput: globalThis.__lastInputMs });

const SEARCH_BOX = { ours: '[data-testid=search], #boot-search', pagefind: '.pagefind-ui__search-input' };

/**
 * One cold load over the link: a fresh context (service workers allowed, empty caches),
 * `path` opened, until `selector` is on screen. `at(pageMs)` turns a time of the page
 * into the server's clock (taken just before navigating; the page's time origin is a
 * few ms later, so bytes "before" a moment are, if anything, undercounted).
 */
async function coldLoad(browser, server, path, selector) {
  await server.idle();
  server.reset();
  const context = await freshContext(browser, { serviceWorkers: 'allow' });
  await context.addInitScript(IN_PAGE_HELPERS);
  await context.addInitScript(PROBES, selector);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const t0 = server.stats.now();
  await page.goto(`${server.url}${path}`, { waitUntil: 'commit' });
  const ms = await page.evaluate(SHOWN);
  const at = (pageMs) => t0 + pageMs;
  return { context, page, errors, ms, bytes: server.stats.bytesUntil(at(ms)), at };
}

/** Types `query` into `engine`'s search box: ms from the last keystroke to the answer on screen, and the bytes meanwhile. */
async function typeQuery(load, server, engine, query) {
  const { page, at } = load;
  await page.evaluate(WATCH_IN_PAGE, [engine, query]);
  await page.focus(SEARCH_BOX[engine]);
  await page.keyboard.type(query);
  const { at: done, lastInput, lost } = await page.evaluate(ANSWERED);
  if (lost) return { ms: null, lost };
  // What was asked for meanwhile, by folder (whole responses): the query's index
  // buckets, the list parts of its rows, and what the page loads in the background.
  const requested = {};
  for (const r of server.stats.requests) {
    if (r.start < at(lastInput) || r.start > at(done) || !r.counted) continue;
    const folder = r.url.split('/').slice(1, -1).slice(0, 2).join('/') || '/';
    requested[folder] = (requested[folder] ?? 0) + r.bytes;
  }
  return { ms: done - lastInput, bytes: server.stats.bytesBetween(at(lastInput), at(done)), requested };
}

const message = (error) => String(error.message ?? error).split('\n')[0].slice(0, 300);

/** Per query, a cold load and `measure(load, query)`; a run that fails is { query, failed } and the others go on. */
async function perQuery(browser, server, queries, path, selector, measure) {
  const runs = [];
  for (const query of queries) {
    let load = null;
    try {
      load = await coldLoad(browser, server, path, selector);
      runs.push({ query, ...(await measure(load, query)), errors: load.errors });
    } catch (error) {
      runs.push({ query, failed: message(error) });
    } finally {
      await load?.context.close().catch(() => {});
    }
  }
  return runs;
}

/** The median of `key` over the runs that have it, and how many runs failed or lost the query. */
const summary = (runs, key) => ({
  median: median(runs.map((r) => r[key]).filter((x) => x != null)),
  failed: runs.filter((r) => r.failed || r.lost).length,
});

/**
 * Ours on the slow link: per query, a cold load (first row: ms and bytes before it),
 * then the query typed once the app is interactive; and per query another cold load
 * where it is typed as soon as the first row shows (boot.js's search box).
 */
export async function fieldOurs(browser, { root, queries }) {
  const server = await serveOverLink(root, { uncounted });
  try {
    const runs = await perQuery(browser, server, queries, '#/', '[data-testid=row]', async (load, query) => {
      const interactiveMs = await load.page.evaluate(APP_INTERACTIVE);
      return { firstRowMs: load.ms, firstRowBytes: load.bytes, interactiveMs, ...(await typeQuery(load, server, 'ours', query)) };
    });
    const early = await perQuery(browser, server, queries, '#/', '[data-testid=row]', async (load, query) => ({
      firstRowMs: load.ms,
      ...(await typeQuery(load, server, 'ours', query)),
    }));
    return {
      firstRowMs: summary(runs, 'firstRowMs'),
      firstRowBytes: summary(runs, 'firstRowBytes'),
      interactiveMs: summary(runs, 'interactiveMs'),
      firstResultsMs: summary(runs, 'ms'),
      firstResultsEarlyMs: summary(early, 'ms'),
      runs,
      early,
    };
  } finally {
    await server.close();
  }
}

/**
 * Pagefind on the same link, with its Default UI (search.html, pagefind.mjs): per query,
 * a cold load until the search box is there (ms and bytes), then the query typed.
 */
export async function fieldPagefind(browser, { site, queries }) {
  const server = await serveOverLink(site, { uncounted });
  try {
    const runs = await perQuery(browser, server, queries, 'search.html', SEARCH_BOX.pagefind, async (load, query) => ({
      searchBoxMs: load.ms,
      searchBoxBytes: load.bytes,
      ...(await typeQuery(load, server, 'pagefind', query)),
    }));
    return { searchBoxMs: summary(runs, 'searchBoxMs'), searchBoxBytes: summary(runs, 'searchBoxBytes'), firstResultsMs: summary(runs, 'ms'), runs };
  } finally {
    await server.close();
  }
}

const OFFLINE_STATE = () => {
  const status = document.querySelector('[data-testid=offline-status]');
  const text = [...(status?.children ?? [])].map((el) => el.textContent.trim()).filter(Boolean).join(' · ');
  return { state: status?.getAttribute('data-state') ?? null, text, alert: status?.querySelector('[role=alert]')?.textContent.trim() ?? null };
};

/** Clicks "Save for offline" and waits for "saved": fails on an alert, or when the progress text stops changing for `stallMs`. */
async function saveOffline(page, { stallMs = 120_000, pollMs = 500 } = {}) {
  await page.click('[data-testid=save-offline]');
  let last = null;
  let changed = performance.now();
  for (;;) {
    const now = await page.evaluate(OFFLINE_STATE);
    if (now.state === 'saved') return now;
    if (now.alert) throw new Error(`saving for offline failed: ${now.alert}`);
    if (now.text !== last) [last, changed] = [now.text, performance.now()];
    if (performance.now() - changed > stallMs) throw new Error(`saving for offline stalled for ${stallMs / 1000} s at "${now.text}"`);
    await new Promise((wake) => setTimeout(wake, pollMs));
  }
}

// Every part loaded: the catalog is complete (what an offline search waits for).
const COUNTED = () => __bench.until(() => !document.querySelector('[data-testid=counting]'), 120_000);

/**
 * Ours saved for offline, over a fast link (gzip, no latency: the bytes are what
 * matters) with the service worker in control: the bytes the save moved and how long it
 * took; then offline, after a reload, every query through the URL. The first text query
 * offline is reported apart (a small archive is searched by reading every saved text,
 * prepared on first use); then `rounds` rounds of every query, with fillers to make
 * more distinct queries than the app keeps recent answers (8), so that every one is
 * searched anew rather than recalled. Counts are checked against the oracle's.
 */
export async function offlineOurs(browser, { root, queries, oracle, rounds = 5 }) {
  const { fillers, cycle } = searchedAnew(queries);
  const server = await serveOverLink(root, { uncounted, rttMs: 0, downKbps: 1e6 });
  const context = await freshContext(browser, { serviceWorkers: 'allow' });
  try {
    await context.addInitScript(IN_PAGE_HELPERS);
    await context.addInitScript(PROBES, '[data-testid=row]');
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}#/`);
    await page.evaluate(SHOWN);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const before = { bytes: server.stats.bytes, requests: server.stats.requests.length, t: performance.now() };
    const saved = await saveOffline(page);
    const save = {
      ms: performance.now() - before.t,
      bytes: server.stats.bytes - before.bytes,
      requests: server.stats.requests.length - before.requests,
      status: saved.text,
    };
    await server.idle();

    await context.setOffline(true);
    await page.reload();
    await page.evaluate(APP_INTERACTIVE);
    await page.evaluate(COUNTED);
    const query = (q) => page.evaluate(QUERY_IN_PAGE, q);
    const wrong = [];
    const check = (q, r) => oracle?.[q] && r.count !== oracle[q].length && wrong.push(`${q}: ${r.count} (oracle: ${oracle[q].length})`);
    const first = { query: queries[0], ...(await query(queries[0])) };
    check(queries[0], first);
    const runs = Object.fromEntries(queries.map((q) => [q, []]));
    for (let r = 0; r < rounds; r++) {
      for (const q of cycle) {
        const result = await query(q);
        if (!runs[q]) continue;
        runs[q].push(result);
        check(q, result);
      }
    }
    const perQuery = Object.fromEntries(
      queries.map((q) => [q, { ms: median(runs[q].map((x) => x.ms)), engine: median(runs[q].map((x) => x.engine).filter((x) => x != null)), count: runs[q][0]?.count }]),
    );
    const all = Object.values(runs).flat();
    return {
      save,
      first,
      query: { ms: median(all.map((x) => x.ms)), engine: median(all.map((x) => x.engine).filter((x) => x != null)), perQuery },
      fillers,
      wrong,
      errors,
    };
  } finally {
    await context.close().catch(() => {});
    await server.close();
  }
}
