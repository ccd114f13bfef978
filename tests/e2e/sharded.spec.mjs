// The same app reading the sharded build of the demo posts (target/demo-archive-sharded,
// served as archive/ on its own port): a manifest, list shards fetched at start, details
// shards fetched for the rows in view and the opened article, search index buckets
// fetched for the keys of a query. Counted here request by request.
import {
  answered,
  archive as singleArchive,
  articles as singleArticles,
  expect,
  openReader,
  parseQuery,
  resultCount,
  rowTitles,
  search,
  test,
} from './fixtures.mjs';
import { readSharded } from './sharded-archive.mjs';
import { searchRules } from './search-oracle.mjs';
import { hasSharded, shardedDir, shardedURL } from './servers.mjs';

test.skip(!hasSharded, `no sharded demo archive in ${shardedDir}: run \`make demo-archive\``);

const empty = { manifest: { parts: [], segments: [], head: [] }, parts: [], articles: [], detailRows: [], facets: { sources: [], tags: [], categories: [] } };
const { manifest, parts, articles, detailRows, facets } = hasSharded ? readSharded(shardedDir) : empty;
const { listing, contains } = searchRules(articles, detailRows.map((d) => d.body), facets);
/** The details file that holds the post at `position`. */
const detailsFileOf = parts.flatMap((list) => list.details.flatMap((d) => Array(d.count).fill(d.file)));
const bucketFiles = manifest.segments.flatMap((s) => Array.from({ length: s.buckets }, (_, n) => `${s.dir}/${n}.bin`));
const positionOf = new Map(articles.map((a, i) => [a.id, i]));
/** Whether the single-file archive in dist/ holds the same posts (then both apps must agree). */
const samePosts = JSON.stringify(singleArticles.map((a) => a.id)) === JSON.stringify(articles.map((a) => a.id));

/** Distinct index keys of a query: its folded terms' characters (one) or character pairs. */
function keysOf(q) {
  const { include, exclude } = parseQuery(q);
  const keys = new Set();
  for (const term of [...include, ...exclude]) {
    const chars = [...term];
    if (chars.length === 1) keys.add(chars[0]);
    for (let i = 0; i + 1 < chars.length; i++) keys.add(chars[i] + chars[i + 1]);
  }
  return keys;
}

/**
 * Records the page's requests under archive/ (as paths relative to it, in order), and
 * which posts' rows were ever put in the list (by the `href` of each row).
 */
async function watchArchive(page) {
  const net = { files: [], pending: 0 };
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/archive/')) {
      net.files.push(pathname.slice('/archive/'.length));
      net.pending++;
    }
  });
  const done = (request) => new URL(request.url()).pathname.startsWith('/archive/') && net.pending--;
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  await page.addInitScript(() => {
    // From the mutation records, so that a row added and removed again in one task counts.
    window.__rowsEverShown = new Set();
    new MutationObserver((records) => {
      for (const { addedNodes } of records) {
        for (const node of addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE) continue;
          const rows = node.matches('[data-testid=row]') ? [node] : node.querySelectorAll('[data-testid=row]');
          for (const row of rows) window.__rowsEverShown.add(row.getAttribute('href'));
        }
      }
    }).observe(document, { subtree: true, childList: true });
  });
  /** Forgets what was recorded. */
  net.reset = () => net.files.splice(0);
  /** Waits until no request is open and none has started for a while. */
  net.quiet = async () => {
    let last = -1;
    await expect
      .poll(
        () => {
          const stable = net.pending === 0 && net.files.length === last;
          last = net.files.length;
          return stable;
        },
        { intervals: [250] },
      )
      .toBe(true);
  };
  return net;
}

const idOfHref = (href) => decodeURIComponent(href.replace(/^#\/a\//, '').replace(/\?.*/, ''));
/** Positions of the posts whose rows the list holds now. */
const rowPositions = async (page) =>
  (await page.getByTestId('row').evaluateAll((rows) => rows.map((r) => r.getAttribute('href')))).map((h) =>
    positionOf.get(idOfHref(h)),
  );
/** Details shards that hold the posts at `positions`, without repeats, sorted. */
const detailsFor = (positions) => [...new Set(positions.map((p) => detailsFileOf[p]))].sort();
const sorted = (files) => [...files].sort();
const ofKind = (files, dir) => files.filter((f) => f.startsWith(`${dir}/`));

/**
 * Opens the sharded app at `hash` and waits for the rows' excerpts, every part's list
 * (the background yields the link to what views wait for, so a pause in requests is no
 * sign that it is done) and every request.
 */
async function openSharded(page, net, hash = '#/') {
  await openReader(page, hash, shardedURL);
  await expect(resultCount(page)).toHaveText(String(listing(hash.includes('?') ? paramsOf(hash) : {}).length));
  await expect(page.locator('.row-excerpt[aria-busy]')).toHaveCount(0);
  await expect.poll(() => new Set(ofKind(net.files, 'list')).size).toBe(manifest.parts.length);
  await net.quiet();
}
function paramsOf(hash) {
  const params = new URLSearchParams(hash.split('?')[1]);
  return { q: params.get('q') ?? '', source: params.getAll('source'), tag: params.getAll('tag'), from: params.get('from') };
}

test('the manifest names files that exist, and the demo is cut into several of each kind', () => {
  // Both layouts come from one build of the same posts, so they are one format.
  expect(manifest.format_version).toBe(singleArchive.format_version);
  expect(manifest.layout).toBe('sharded');
  expect(manifest.parts.length).toBeGreaterThan(2);
  expect(manifest.segments.length).toBeGreaterThan(1);
  expect(new Set(detailsFileOf).size).toBeGreaterThan(2);
  expect(articles.length).toBe(manifest.counts.archived);
  expect(manifest.head.map((p) => p.title)).toEqual(articles.slice(0, manifest.head.length).map((a) => a.title));
  // Content-named: a list or details file by the first 16 hex digits of a hash of its
  // bytes, a bucket by its segment's.
  for (const file of [...manifest.parts.map((p) => p.file), ...detailsFileOf]) {
    expect(file).toMatch(/^(list|details)\/[0-9a-f]{16}\.json$/);
  }
  for (const file of bucketFiles) expect(file).toMatch(/^search\/[0-9a-f]{16}\/\d+\.bin$/);
});

test('the first screen fetches the manifest, the list, and the details of the rows it shows: no index, not every shard', async ({ page }) => {
  const net = await watchArchive(page);
  await openSharded(page, net);
  await expect(rowTitles(page).first()).toHaveText(articles[0].title);
  await expect(page.getByTestId('row').first().locator('.row-excerpt')).toHaveText(detailRows[0].excerpt);

  const { files } = net;
  expect(files.filter((f) => f === 'archive.json')).toHaveLength(1);
  expect(files[0]).toBe('archive.json');
  // Every part's list, each once (the newest first, in the background).
  expect(sorted(ofKind(files, 'list'))).toEqual(sorted(manifest.parts.map((p) => p.file)));
  expect(ofKind(files, 'search'), 'index buckets before any search').toEqual([]);
  const details = ofKind(files, 'details');
  expect(details, 'each details file once').toEqual([...new Set(details)]);
  expect(files.length).toBe(1 + manifest.parts.length + details.length);
  // Exactly the shards of the rows the list holds.
  expect(sorted(details)).toEqual(detailsFor(await rowPositions(page)));
  expect(details.length).toBeLessThan(new Set(detailsFileOf).size);

  // Scrolling to the end fetches the last rows' shard, and only then.
  expect(details).not.toContain(detailsFileOf.at(-1));
  net.reset();
  await page.locator('.list').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(rowTitles(page).last()).toHaveText(articles.at(-1).title);
  await expect(page.locator('.row-excerpt[aria-busy]')).toHaveCount(0);
  await net.quiet();
  expect(net.files).toContain(detailsFileOf.at(-1));
  expect(net.files.every((f) => f.startsWith('details/') && !details.includes(f))).toBe(true);
});

// Before the list has measured itself it guesses which rows are in view; nothing may be
// fetched for that guess.
test('the first screen fetches no details for rows it never shows', async ({ page }) => {
  const net = await watchArchive(page);
  await openSharded(page, net);
  expect(sorted(ofKind(net.files, 'details'))).toEqual(detailsFor(await rowPositions(page)));
});

test('a search fetches only index buckets: at least one, at most one per key of the folded query, each once', async ({ page }) => {
  const net = await watchArchive(page);
  const queries = ['nato峰會', '台湾', '"tide warnings" -flood', '国际 -台湾', 'ＸＲ-9 流感'];
  for (const q of queries) {
    await page.goto('about:blank');
    net.reset();
    await openSharded(page, net);
    const loaded = ofKind(net.files, 'details');
    net.reset();
    await search(page, q);
    const expected = listing({ q });
    await expect(resultCount(page)).toHaveText(String(expected.length));
    await expect(page.locator('.row-excerpt[aria-busy]')).toHaveCount(0);
    await net.quiet();

    const buckets = ofKind(net.files, 'search');
    const keys = keysOf(q);
    const segments = manifest.segments.length;
    expect(buckets.length, `“${q}”: index buckets`).toBeGreaterThanOrEqual(segments);
    expect(buckets.length, `“${q}”: at most one per key of ${[...keys].join(' ')} per segment`).toBeLessThanOrEqual(
      keys.size * segments,
    );
    for (const segment of manifest.segments) {
      const mine = buckets.filter((f) => f.startsWith(`${segment.dir}/`));
      expect(mine.length, `“${q}”: every segment asked`).toBeGreaterThanOrEqual(1);
      expect(mine.length).toBeLessThanOrEqual(keys.size);
    }
    expect(buckets, `“${q}”: each bucket once`).toEqual([...new Set(buckets)]);
    for (const file of buckets) expect(bucketFiles).toContain(file);
    // Besides the index, only the details of result rows now in view that were not here yet.
    const details = ofKind(net.files, 'details');
    expect(net.files.length, `“${q}”: ${net.files.join(', ')}`).toBe(buckets.length + details.length);
    const shown = await rowPositions(page);
    expect(shown.map((p) => articles[p].title)).toEqual(expected.slice(0, shown.length).map((a) => a.title));
    expect(sorted(details)).toEqual(detailsFor(shown).filter((f) => !loaded.includes(f)));
    // The snippets, once their shards are here, mark the match (in either script).
    const [term] = parseQuery(q).include;
    if (shown.some((p) => contains(articles[p], term, 'text'))) {
      await expect(page.locator('.row-excerpt mark[data-testid=match]').first()).toBeVisible();
    }
  }
});

test('a query that comes by a link (a hashchange) asks for each of its buckets once, ahead of the render, and its answer is exact', async ({ page }) => {
  const net = await watchArchive(page);
  await openSharded(page, net);
  net.reset();
  // The hashchange listener asks for the route's buckets before the render the route
  // causes, which asks for what it finds missing: the two must not fetch a bucket twice.
  const q = 'nato峰會 -台湾';
  await page.evaluate((q) => (location.hash = `#/?q=${encodeURIComponent(q)}`), q);
  await expect(answered(page, q)).toBeVisible();
  await expect(resultCount(page)).toHaveText(String(listing({ q }).length));
  await net.quiet();
  const buckets = ofKind(net.files, 'search');
  expect(buckets.length).toBeGreaterThanOrEqual(manifest.segments.length);
  expect(buckets, 'each bucket once').toEqual([...new Set(buckets)]);
  expect(net.files.length, net.files.join(', ')).toBe(buckets.length + ofKind(net.files, 'details').length);
});

test('typing at a reader\'s pace loses no keystroke while what it asks for arrives and the app renders', async ({ page }) => {
  const net = await watchArchive(page);
  await openSharded(page, net);
  net.reset();
  // Keys 100 ms apart: after each pause of 40 ms the buckets of what is typed so far are
  // asked for (the debounce, 150 ms, never ends), and each arrival renders the app while
  // the reader goes on typing. A box that followed the URL's text would be set back to it.
  const q = 'sea wall gusts';
  const box = page.getByTestId('search');
  await box.pressSequentially(q, { delay: 100 });
  await expect(box).toHaveValue(q);
  expect(ofKind(net.files, 'search').length, 'buckets arrived while typing').toBeGreaterThan(0);
  await expect(answered(page, q)).toBeVisible();
  await expect(resultCount(page)).toHaveText(String(listing({ q }).length));
  await expect(box).toHaveValue(q);
  // Text that comes from the URL (a link, Back, a removed chip) still replaces what the box shows.
  await page.evaluate(() => (location.hash = '#/?q=harbour'));
  await expect(box).toHaveValue('harbour');
});

test('a query whose results are already on screen fetches its buckets and nothing else, and a repeat fetches nothing', async ({ page }) => {
  const net = await watchArchive(page);
  await openSharded(page, net);
  const q = 'nato峰會';
  const expected = listing({ q });
  const loaded = ofKind(net.files, 'details');
  expect(expected.length).toBeGreaterThan(0);
  expect(detailsFor(expected.map((a) => positionOf.get(a.id))).every((f) => loaded.includes(f))).toBe(true);
  net.reset();
  await search(page, q);
  await expect(resultCount(page)).toHaveText(String(expected.length));
  await net.quiet();
  expect(net.files.length).toBeGreaterThan(0);
  expect(ofKind(net.files, 'search')).toEqual(net.files);
  expect(net.files.length).toBeLessThanOrEqual(keysOf(q).size * manifest.segments.length);

  // Searching again for something with the same keys needs nothing new; a qualifier needs no index.
  net.reset();
  for (const again of ['', 'NATO峰会', 'source:bbc']) {
    await search(page, again);
    await expect(resultCount(page)).toHaveText(String(listing({ q: again }).length));
  }
  await search(page, q);
  await net.quiet();
  expect(ofKind(net.files, 'search')).toEqual([]);
});

test('opening an article fetches at most its own details shard', async ({ page }) => {
  const net = await watchArchive(page);
  await openSharded(page, net);
  // A row on screen: its shard came with the row.
  net.reset();
  await page.getByTestId('row').nth(2).click();
  await expect(page.getByTestId('article-title')).toHaveText(articles[2].title);
  await net.quiet();
  expect(net.files).toEqual([]);

  // A post that is not in the list (a link from elsewhere): exactly its shard.
  const q = 'nato峰會';
  await search(page, q);
  await net.quiet();
  const loaded = new Set(ofKind(net.files, 'details'));
  const post = articles.at(-1);
  expect(listing({ q })).not.toContain(post);
  const before = await page.evaluate(() => [...window.__rowsEverShown].length);
  expect(detailsFileOf.at(-1)).not.toBe(detailsFileOf[positionOf.get(listing({ q })[0].id)]);
  net.reset();
  await page.goto(`${shardedURL}#/a/${post.id}?q=${encodeURIComponent(q)}`);
  await expect(page.getByTestId('article-title')).toHaveText(post.title);
  await expect(page.locator('.article-body')).toContainText(detailRows.at(-1).excerpt.slice(0, 20));
  await net.quiet();
  expect(net.files).toEqual(loaded.has(detailsFileOf.at(-1)) ? [] : [detailsFileOf.at(-1)]);
  expect(await page.evaluate(() => [...window.__rowsEverShown].length)).toBe(before);
});

test.describe('against the single-file archive', () => {
  test.skip(!samePosts, 'dist/ holds another archive than the demo posts');

  // Hashes with a search (and some filters), the way a shared link brings them.
  const hashes = [
    '台湾', '臺灣', '国际', '立法會', 'harbour', 'HARBOUR street', '"more than"', 'port -harbour',
    'source:bbc 国际', 'tag:国际', 'category:news tag:transport -ferry', '疫情 -"XR-9"', 'no such words 1234',
  ].map((q) => `#/?q=${encodeURIComponent(q)}`).concat([
    `#/?source=bbc&source=rss&q=${encodeURIComponent('source:bbc 国际')}`,
    `#/?tag=${encodeURIComponent('颱風')}&q=${encodeURIComponent('台风')}&sort=oldest`,
  ]);

  test('the sharded app lists what the single-file app lists, for the same links', async ({ page, context }) => {
    const single = await context.newPage();
    await openReader(page, '#/', shardedURL);
    await openReader(single, '#/');
    for (const hash of hashes) {
      const filters = paramsOf(hash);
      const expected = listing({ ...filters, sort: new URLSearchParams(hash.split('?')[1]).get('sort') ?? undefined });
      const shown = [];
      for (const p of [page, single]) {
        await p.goto(`${p === page ? shardedURL : '/'}${hash}`);
        await expect(answered(p, filters.q)).toBeVisible();
        await expect(resultCount(p)).toHaveText(String(expected.length));
        // The count comes with the answer; a row, with its part of the list (sharded).
        await expect(p.getByTestId('row-loading')).toHaveCount(0);
        shown.push(await rowTitles(p).allTextContents());
      }
      expect(shown[0], hash).toEqual(shown[1]);
      expect(shown[0], hash).toEqual(expected.slice(0, shown[0].length).map((a) => a.title));
    }
    await single.close();
  });
});

test.describe('a shard missing on the server', () => {
  // The browser logs the 404 itself.
  test.use({ allowedConsoleErrors: [/^Failed to load resource/] });
  const notFound = (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' });

  test('a part’s list file: the list says what is missing, and shows what it has', async ({ page }) => {
    const file = manifest.parts.at(-1).file;
    await page.route(`**/archive/${file}`, notFound);
    await openReader(page, '#/', shardedURL);
    // The head and the other parts are listed; the message names the file.
    await expect(resultCount(page)).toHaveText(String(articles.length));
    await expect(rowTitles(page).first()).toHaveText(articles[0].title);
    const alert = page.getByTestId('load-error');
    await expect(alert).toContainText(file);
    await expect(alert).toContainText('404');
  });

  test('a details shard: the article says it could not be loaded, and the rest keeps working', async ({ page }) => {
    const file = detailsFileOf.at(-1);
    await page.route(`**/archive/${file}`, notFound);
    const post = articles.at(-1);
    await page.goto(`${shardedURL}#/a/${post.id}`);
    await expect(resultCount(page)).toHaveText(String(articles.length));
    const placeholder = page.getByTestId('article-loading');
    await expect(placeholder).toContainText(/could not be loaded/i);
    await expect(placeholder).toContainText(file);
    await expect(placeholder).toContainText('404');
    // Other articles and searches still work.
    await page.goto(`${shardedURL}#/a/${articles[0].id}`);
    await expect(page.getByTestId('article-title')).toHaveText(articles[0].title);
    await search(page, '台湾');
    await expect(resultCount(page)).toHaveText(String(listing({ q: '台湾' }).length));
  });

  // The list must say the search failed rather than search for ever.
  test('an index bucket: the list says the search failed instead of searching for ever', async ({ page }) => {
    await page.route('**/archive/search/**', notFound);
    await openReader(page, '#/', shardedURL);
    await page.getByTestId('search').fill('台湾');
    await expect(page.getByRole('alert')).toContainText(/404|missing|not found|could not/i);
    await expect(page.getByTestId('result-count')).not.toHaveAttribute('aria-busy');
  });
});
