// Pagefind's side: one HTML page per post, its index build (timed, under a memory
// ceiling), and its JS API driven in Chromium (its Default UI on the slow link: field.mjs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import { freshContext, IN_PAGE_HELPERS, median, serveRoot } from './browser.mjs';
import { dirSize, freshDir, idToName, nameToId } from './files.mjs';
import { runMeasured } from './proc.mjs';

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/**
 * The site Pagefind indexes: p/<xx>/<id>.html per post (two-character folders keep
 * 250,000 files out of one directory), all `lang="zh-Hant"` as the issue measured (one
 * language, one index), the title in <h1> and the cleaned body in data-pagefind-body.
 * bench.html and search.html, outside the indexed glob, are the pages the browser legs
 * load: an empty one for the JS API, and the Default UI for the slow link (field.mjs).
 */
export function writeSite(archive, site) {
  freshDir(site);
  archive.articles.forEach((article, i) => {
    const name = idToName(article.id);
    const dir = join(site, 'p', name.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    const title = escapeHtml(article.title);
    writeFileSync(
      join(dir, `${name}.html`),
      `<!doctype html>\n<html lang="zh-Hant">\n<head><meta charset="utf-8"><title>${title}</title></head>\n` +
        `<body><main data-pagefind-body><h1>${title}</h1>\n${archive.bodies[i]}\n</main></body>\n</html>\n`,
    );
  });
  writeFileSync(join(site, 'bench.html'), '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body></body></html>\n');
  writeFileSync(join(site, 'search.html'), SEARCH_PAGE);
}

/**
 * The field legs' page (field.mjs): Pagefind's Default UI as its documentation sets it
 * up, its typing debounce set to ours (150 ms; Pagefind's default is 300) so that the
 * time from the last keystroke compares like for like, and no images (the posts have none).
 */
export const SEARCH_PAGE = `<!doctype html>
<html lang="zh-Hant">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Search</title>
<link href="pagefind/pagefind-ui.css" rel="stylesheet">
<script src="pagefind/pagefind-ui.js"></script>
</head>
<body>
<div id="search"></div>
<script>
addEventListener('DOMContentLoaded', () => new PagefindUI({ element: '#search', showImages: false, debounceTimeoutMs: 150 }));
</script>
</body>
</html>
`;

/**
 * The binary the npm package runs (its wrapper's lookup, lib/resolveBinary.js, which the
 * package does not export): the extended build, which segments Chinese and Japanese.
 */
function pagefindBinary() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const require = createRequire(import.meta.url);
  for (const name of ['pagefind_extended', 'pagefind']) {
    try {
      return require.resolve(`@pagefind/${platform}-${process.arch}/bin/${name}`);
    } catch {
      // Try the next name.
    }
  }
  throw new Error(`no Pagefind binary for ${platform}-${process.arch} in node_modules/@pagefind: run npm ci`);
}

/** The timed Pagefind build over `site`: the binary itself (not the npm wrapper's node process). */
export async function buildPagefind(site, limits) {
  const binary = pagefindBinary();
  const result = await runMeasured(binary, ['--site', site, '--glob', 'p/**/*.html'], limits);
  // Its last lines say how far it got when it did not finish.
  const log = result.stdout.trim().split('\n').slice(-8);
  const base = { binary: basename(binary), ms: result.ms, peakBytes: result.peakBytes, log };
  if (result.killed) return { ...base, failed: { ...result.killed, message: result.stderr.slice(-500) } };
  if (!result.ok) return { ...base, failed: { reason: 'error', code: result.code, signal: result.signal, message: result.stderr.slice(-2000) } };
  const index = dirSize(join(site, 'pagefind'));
  return { ...base, indexBytes: index.bytes, indexFiles: index.files };
}

// Cold or warm, one search through Pagefind's JS API. The first call in a page also
// imports pagefind.js and loads its wasm and metadata: that is part of a first query.
const SEARCH_IN_PAGE = async (query) => {
  const t0 = performance.now();
  globalThis.__pagefind ??= await import('/pagefind/pagefind.js');
  await globalThis.__pagefind.init();
  const t1 = performance.now();
  const search = await globalThis.__pagefind.search(query);
  const t2 = performance.now();
  globalThis.__lastSearch = search;
  return { ms: t2 - t0, initMs: t1 - t0, count: search.results.length };
};

// The URLs of the last search's results, loading each result's data (untimed).
const URLS_IN_PAGE = async () => {
  const urls = [];
  const results = globalThis.__lastSearch.results;
  for (let i = 0; i < results.length; i += 500) {
    const batch = await Promise.all(results.slice(i, i + 500).map((r) => r.data()));
    urls.push(...batch.map((d) => d.url));
  }
  return urls;
};

async function openPage(browser, server) {
  const context = await freshContext(browser);
  await context.addInitScript(IN_PAGE_HELPERS);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}bench.html`);
  await server.idle();
  return { context, page, errors };
}

/** Cold (fresh context per query and run), warm (median of `warmRuns`), and result ids. */
export async function measurePagefind(browser, { site, queries, coldRuns, warmRuns }) {
  const server = await serveRoot(site);
  try {
    const cold = Object.fromEntries(queries.map((q) => [q, []]));
    for (let r = 0; r < coldRuns; r++) {
      for (const q of queries) {
        const { context, page, errors } = await openPage(browser, server);
        const stopCounting = server.count();
        const result = await page.evaluate(SEARCH_IN_PAGE, q);
        cold[q].push({ ...result, ...stopCounting() });
        if (errors.length) cold[q].at(-1).errors = errors;
        await context.close();
      }
    }

    const { context, page, errors } = await openPage(browser, server);
    const warm = {};
    const ids = {};
    for (const [i, q] of queries.entries()) {
      const other = queries[(i + 1) % queries.length];
      const first = await page.evaluate(SEARCH_IN_PAGE, q);
      const times = [];
      for (let r = 0; r < warmRuns; r++) {
        await page.evaluate(SEARCH_IN_PAGE, other);
        times.push((await page.evaluate(SEARCH_IN_PAGE, q)).ms);
      }
      warm[q] = { firstInSession: first, ms: times, median: median(times) };
    }
    for (const q of queries) {
      await page.evaluate(SEARCH_IN_PAGE, q);
      // /p/xx/<name>.html (or /p/xx/<name>/ if Pagefind ever drops the extension) -> id
      const urls = await page.evaluate(URLS_IN_PAGE);
      ids[q] = urls.map((u) => nameToId(basename(u.replace(/\/$/, '')).replace(/\.html$/, '')));
    }
    await context.close();

    return {
      cold: Object.fromEntries(
        Object.entries(cold).map(([q, runs]) => [
          q,
          { runs, ms: median(runs.map((x) => x.ms)), bytes: median(runs.map((x) => x.bytes)), count: runs[0].count },
        ]),
      ),
      warm,
      ids,
      errors,
    };
  } finally {
    await server.close();
  }
}
