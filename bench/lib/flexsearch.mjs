// FlexSearch 0.8 in its nearly exact configuration (CJK encoder + context), indexing the
// same posts' text in a Chromium page: what it holds in the JS heap, and (for reference)
// its speed and results against the oracle.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshContext, heapAfterGc, median, serveRoot } from './browser.mjs';
import { freshDir } from './files.mjs';

const CHUNK = 5000;
const BLOCK_TAGS = new Set(
  'p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr td th figure figcaption dd dt dl hr details summary caption'.split(' '),
);
const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&nbsp;': ' ' };

/**
 * The text of sanitized HTML as the oracle sees it: a port of src/text.rs
 * (`html_to_text`): tags dropped, block tags become a space, the five entities the
 * sanitizer writes decoded, white space collapsed.
 */
export function htmlToText(html) {
  const text = html
    .replace(/<(\/?)([A-Za-z0-9]+)(?:[^>"']|"[^"]*"|'[^']*')*>/g, (_, __, name) => (BLOCK_TAGS.has(name.toLowerCase()) ? ' ' : ''))
    .replace(/&(?:amp|lt|gt|quot|nbsp);/g, (e) => ENTITIES[e]);
  return text.split(/\s+/).filter(Boolean).join(' ');
}

/**
 * The page's root: an empty page, the FlexSearch module, and the documents as JSON
 * chunks of CHUNK texts (title and body text), fetched and indexed one at a time so
 * the texts themselves are garbage by the time the heap is measured.
 */
export function writeFlexRoot(archive, root) {
  const docs = join(freshDir(root), 'docs');
  mkdirSync(docs);
  for (let start = 0; start < archive.articles.length; start += CHUNK) {
    const texts = archive.articles
      .slice(start, start + CHUNK)
      .map((a, k) => `${a.title} ${htmlToText(archive.bodies[start + k])}`);
    writeFileSync(join(docs, `docs-${start / CHUNK}.json`), JSON.stringify(texts));
  }
  writeFileSync(join(root, 'index.html'), '<!doctype html>\n<html><head><meta charset="utf-8"><title>flexsearch</title></head><body></body></html>\n');
  // The package's browser ES module (its "import" export).
  symlinkSync(fileURLToPath(import.meta.resolve('flexsearch')), join(root, 'flexsearch.mjs'));
  return { chunks: Math.ceil(archive.articles.length / CHUNK) };
}

const INDEX_IN_PAGE = async ([chunks, chunkSize]) => {
  const { Index, Charset } = await import('/flexsearch.mjs');
  // "Nearly exact": every character a token (CJK), and context links neighbouring tokens.
  const index = new Index({ encoder: Charset.CJK, context: true });
  const t0 = performance.now();
  for (let c = 0; c < chunks; c++) {
    const texts = await (await fetch(`/docs/docs-${c}.json`)).json();
    texts.forEach((text, k) => index.add(c * chunkSize + k, text));
  }
  globalThis.__index = index;
  return { ms: performance.now() - t0 };
};

const SEARCH_IN_PAGE = ([query, limit, withIds]) => {
  const t0 = performance.now();
  const ids = globalThis.__index.search(query, { limit });
  return { ms: performance.now() - t0, ids: withIds ? ids : ids.length };
};

/** Heap growth from indexing all posts (after forced GCs), then each query's results and median time. */
export async function measureFlexSearch(browser, { root, chunks, posts, queries, warmRuns }) {
  const server = await serveRoot(root);
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    let crashed = false;
    page.on('crash', () => (crashed = true));
    await page.goto(server.url);
    const before = await heapAfterGc(context, page);
    let indexing;
    try {
      indexing = await page.evaluate(INDEX_IN_PAGE, [chunks, CHUNK]);
    } catch (error) {
      return { failed: crashed ? 'the page crashed (out of memory?)' : String(error).slice(0, 500), heapBefore: before };
    }
    const after = await heapAfterGc(context, page);
    const results = {};
    for (const q of queries) {
      const { ids } = await page.evaluate(SEARCH_IN_PAGE, [q, posts, true]);
      const times = [];
      for (let r = 0; r < warmRuns; r++) times.push((await page.evaluate(SEARCH_IN_PAGE, [q, posts, false])).ms);
      results[q] = { positions: ids, count: ids.length, warmMs: median(times) };
    }
    return { indexMs: indexing.ms, heapBefore: before, heapAfter: after, indexBytes: after - before, results };
  } finally {
    // After a crash the context may be gone already; the failure above is what matters.
    await context.close().catch(() => {});
    await server.close();
  }
}
