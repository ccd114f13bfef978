// The reader where its readers are: a host that forbids caching (`Cache-Control:
// no-store`), going offline after one visit, saving the whole archive for offline (and a
// save that is interrupted), and an archive republished while the reader is open. The
// sharded demo archive, cut small (`--tiny-cuts`), so that every kind of file is several.
// Requests are counted at the server, whoever made them: the page or its service worker.
import { copyFileSync, cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { answered, articles, expect, listing, openReader, resultCount, rowTitles, search, test } from './fixtures.mjs';
import { fieldURL, hasSharded, hasUpdate, shardedDir, updateDir, updateSwitch, updateURL } from './servers.mjs';

// Offline, the browser logs each request the worker could not answer.
test.use({ serviceWorkers: 'allow', allowedConsoleErrors: [/^Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED)/] });
test.skip(!hasSharded, 'no sharded demo archive: run `make demo-archive`');

/**
 * Each test reads the reader under its own /t/<name>/ on the server, which serves the
 * rest of the path and counts that test's requests apart from those of tests running
 * beside it. `at(server)` is the test's base URL there.
 */
const at = (server) => `${server}t/${test.info().testId}/`;
/** Paths the server behind `base` was asked for by this test since the last reset. */
async function served(base, reset = false) {
  const [, server, name] = base.match(/^(.*\/)t\/([^/]+)\/$/);
  return (await fetch(`${server}__log?t=${name}${reset ? '&reset' : ''}`)).json();
}
/** Waits until the server at `base` has had no request for a while. */
async function quiet(base) {
  let last = -1;
  await expect
    .poll(
      async () => {
        const n = (await served(base)).length;
        const stable = n === last;
        last = n;
        return stable;
      },
      { intervals: [400], timeout: 30_000 },
    )
    .toBe(true);
}
/** Waits until every file of the archive the server sent this test is kept on the device. */
async function allKept(page, base) {
  const fromArchive = (path) => path.slice(path.indexOf('/archive/'));
  await expect
    .poll(async () => {
      const urls = await page.evaluate(async () => (await (await caches.open('newsreader-archive')).keys()).map((r) => r.url));
      const keptPaths = new Set(urls.map((url) => fromArchive(new URL(url).pathname)));
      return (await served(base)).filter((p) => p.startsWith('/archive/') && !keptPaths.has(fromArchive(p)));
    })
    .toEqual([]);
}
/** Opens the reader at `base`, with its service worker in control, every part arrived. */
async function visit(page, base, hash = '#/') {
  await openReader(page, hash, base);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect(page.getByTestId('counting')).toHaveCount(0);
  await quiet(base);
}
const offlineStatus = (page) => page.getByTestId('offline-status');
/** The details file of each post of the sharded demo, by id. */
const detailsFileOf = new Map(
  hasSharded
    ? JSON.parse(readFileSync(`${shardedDir}archive.json`, 'utf8')).parts.flatMap((part) => {
        const list = JSON.parse(readFileSync(`${shardedDir}${part.file}`, 'utf8'));
        const files = list.details.flatMap((d) => Array(d.count).fill(d.file));
        return list.entries.map(([id], i) => [id, files[i]]);
      })
    : [],
);

test.describe('a host that forbids caching', () => {
  test('one visit is enough to read offline: the list, the facets, and every article and query it used', async ({ page, context }) => {
    const base = at(fieldURL);
    await visit(page, base);
    const q = '台湾';
    await search(page, q);
    await expect(resultCount(page)).toHaveText(String(listing({ q }).length));
    await page.getByTestId('row').nth(1).click();
    const opened = listing({ q })[1];
    await expect(page.getByTestId('article-title')).toHaveText(opened.title);
    await quiet(base);
    await allKept(page, base);

    await context.setOffline(true);
    await page.goto(`${base}#/`);
    await page.reload();
    await expect(resultCount(page)).toHaveText(String(articles.length));
    await expect(rowTitles(page).first()).toHaveText(articles[0].title);
    await page.locator('details.filter-panel summary').click();
    await expect(page.getByTestId('facet-source').locator('label.facet-value').first()).toBeVisible();
    await search(page, q);
    await expect(resultCount(page)).toHaveText(String(listing({ q }).length));
    await page.goto(`${base}#/a/${encodeURIComponent(opened.id)}?q=${encodeURIComponent(q)}`);
    await expect(page.getByTestId('article-title')).toHaveText(opened.title);

    // What the visit did not use is said to be missing, with what to do: no wrong count.
    await page.goto(`${base}#/`);
    await page.getByTestId('search').fill('harbour');
    await expect(page.getByRole('alert')).toContainText(/offline.*Save this archive for offline/s);
    await expect(resultCount(page)).toHaveText('—');
    const fetched = new Set(await served(base));
    const unread = articles.find((a) => !fetched.has(`/archive/${detailsFileOf.get(a.id)}`));
    await page.goto(`${base}#/a/${encodeURIComponent(unread.id)}`);
    await expect(page.getByTestId('article-loading')).toContainText(/not on this device.*offline/s);
    await expect(page.getByTestId('article-loading')).not.toHaveAttribute('aria-busy');
  });
});

test.describe('saved for offline', () => {
  const queries = ['台湾', '国际 -台湾', 'harbour', '"more than"', 'source:bbc 国际', 'no such words 1234', '颱風'];

  test('every query answers as the oracle does offline, and an article never opened opens', async ({ page, context }) => {
    const base = at(fieldURL);
    await visit(page, base);
    await expect(offlineStatus(page)).toHaveAttribute('data-state', 'none');
    await page.getByTestId('save-offline').click();
    await expect(offlineStatus(page)).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
    await expect(offlineStatus(page)).toContainText(/allows this site/);

    await context.setOffline(true);
    await page.reload();
    await expect(offlineStatus(page)).toHaveAttribute('data-state', 'saved');
    for (const q of queries) {
      await search(page, q);
      await expect(resultCount(page), q).toHaveText(String(listing({ q }).length));
      const shown = await rowTitles(page).allTextContents();
      expect(shown, q).toEqual(listing({ q }).slice(0, shown.length).map((a) => a.title));
    }
    const last = articles.at(-1);
    await page.goto(`${base}#/a/${encodeURIComponent(last.id)}`);
    await expect(page.getByTestId('article-title')).toHaveText(last.title);
  });

  test('a save that is interrupted goes on where it stopped, fetching nothing twice', async ({ page, context }) => {
    const base = at(fieldURL);
    await visit(page, base);
    await served(base, true);
    // Slow enough (each file 150 ms, six at a time) to be cut before it ends.
    const [, server, name] = base.match(/^(.*\/)t\/([^/]+)\/$/);
    await fetch(`${server}__log?t=${name}&slow=150`);
    await page.getByTestId('save-offline').click();
    // Cut the connection once the save is under way.
    await expect.poll(async () => (await served(base)).filter((p) => p.includes('/details/')).length).toBeGreaterThan(3);
    await context.setOffline(true);
    await expect(offlineStatus(page)).toHaveAttribute('data-state', 'saving');
    await expect(offlineStatus(page).getByRole('alert')).toContainText(/stopped/);
    const before = (await served(base)).filter((p) => p.includes('/details/'));

    await fetch(`${server}__log?t=${name}&slow=0`);
    await context.setOffline(false);
    await page.reload();
    await expect(offlineStatus(page)).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
    const details = (await served(base)).filter((p) => p.includes('/details/'));
    expect(details.length).toBeGreaterThan(before.length);
    expect(details, 'each details file fetched once, across the interruption').toEqual([...new Set(details)]);
  });
});

/** Every file of an archive build, relative to its folder. */
function filesOf(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.filter((f) => f !== 'diagnostics.json');
}

test.describe('an archive republished while the reader is open', () => {
  test.skip(!hasUpdate, 'no update builds: run `make demo-archive`');
  test.describe.configure({ mode: 'serial' });
  test.afterEach(() => writeFileSync(updateSwitch, `${updateDir}a\n`));

  test('the banner says what changed; one click applies it in place, fetching only the new files', async ({ page }) => {
    const base = at(updateURL);
    writeFileSync(updateSwitch, `${updateDir}a\n`);
    const a = JSON.parse(readFileSync(`${updateDir}a/archive.json`, 'utf8'));
    const b = JSON.parse(readFileSync(`${updateDir}b/archive.json`, 'utf8'));
    const [filesA, filesB] = [new Set(filesOf(`${updateDir}a`)), filesOf(`${updateDir}b`)];
    const onlyB = new Set(filesB.filter((f) => !filesA.has(f) || readFileSync(`${updateDir}a/${f}`).compare(readFileSync(`${updateDir}b/${f}`)) !== 0));

    await visit(page, base);
    await page.getByTestId('save-offline').click();
    await expect(offlineStatus(page)).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
    await expect(resultCount(page)).toHaveText(String(a.counts.archived));
    // The reader's place: an article open, from a search.
    const q = '国际';
    await search(page, q);
    await page.getByTestId('row').first().click();
    const title = await page.getByTestId('article-title').textContent();
    const url = page.url();
    await quiet(base);
    await served(base, true);

    writeFileSync(updateSwitch, `${updateDir}b\n`);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    const banner = page.getByTestId('update-banner');
    await expect(banner).toContainText(`${b.counts.archived - a.counts.archived} new posts`);
    await expect(banner).toContainText(/\d+\.\d MB/);
    await banner.getByTestId('apply-update').click();
    await expect(banner).toHaveCount(0);
    await expect(page.getByTestId('archive-info')).toContainText(String(b.counts.archived));
    // Kept in place: the same article, the same search, no reload.
    expect(page.url()).toBe(url);
    await expect(page.getByTestId('article-title')).toHaveText(title);
    await expect(answered(page, q)).toBeVisible();
    await expect(offlineStatus(page)).toHaveAttribute('data-state', 'saved');
    await quiet(base);

    const fetched = (await served(base)).map((p) => p.replace(/^\/archive\//, '')).filter((p) => p !== '/');
    expect(fetched.filter((p) => p === 'archive.json').length, 'the check').toBeGreaterThanOrEqual(1);
    const files = fetched.filter((p) => p !== 'archive.json');
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(onlyB.has(file), `${file} is new in B`).toBe(true);

    // Files only the old build named are forgotten.
    const kept = await page.evaluate(async () => {
      const cache = await caches.open('newsreader-archive');
      return (await cache.keys()).map((r) => new URL(r.url).pathname.replace(/^\/archive\//, ''));
    });
    const onlyA = [...filesA].filter((f) => !filesB.includes(f));
    expect(onlyA.length).toBeGreaterThan(0);
    for (const file of onlyA) expect(kept, `${file} was forgotten`).not.toContain(file);
  });

  test.describe('reopened after a republish', () => {
    // The page first opens with the copy of build A this device keeps, and may ask the
    // host for a file only A has before it reads B's manifest: the host answers 404, and
    // the reader moves on to B (which is what the test checks).
    // One pattern: Playwright reads a two-element array whose second is an object (a
    // RegExp is one) as [value, options], and the fixture would get a lone RegExp.
    test.use({
      allowedConsoleErrors: [/^Failed to load resource: (net::ERR_(FAILED|INTERNET_DISCONNECTED)|the server responded with a status of 404)/],
    });

    test('read and starred marks survive a rebuild of the archive (they are kept by post id)', async ({ page }) => {
      const base = at(updateURL);
      writeFileSync(updateSwitch, `${updateDir}a\n`);
      const b = JSON.parse(readFileSync(`${updateDir}b/archive.json`, 'utf8'));
      await visit(page, base);
      const row = page.getByTestId('row').nth(1);
      const id = await row.getAttribute('data-id');
      await row.click();
      await expect(page.getByTestId('article-title')).toBeFocused();
      await page.keyboard.press('s');
      await expect(page.getByTestId('article').getByTestId('star')).toHaveAttribute('aria-pressed', 'true');

      writeFileSync(updateSwitch, `${updateDir}b\n`);
      await page.goto(`${base}#/`);
      await page.reload();
      await expect(page.getByTestId('archive-info')).toContainText(String(b.counts.archived));
      const same = page.locator(`[data-testid=row][data-id="${id}"]`);
      await expect(same).toHaveAttribute('data-read', 'true');
      await expect(page.locator(`[data-at]:has([data-id="${id}"]) [data-testid=star]`)).toHaveAttribute('aria-pressed', 'true');
      await expect(page.getByTestId('view-unread')).toHaveAttribute('data-count', String(b.counts.archived - 1));
      await expect(page.getByTestId('view-starred')).toHaveAttribute('data-count', '1');
    });
  });

  test('a new version of the reader is offered, and one click loads it', async ({ page }) => {
    const base = at(updateURL);
    // Version B of the app: the same files, its wasm under another name.
    const dist = new URL('../../dist/', import.meta.url).pathname;
    const appB = `${updateDir}app-b`;
    cpSync(dist, appB, { recursive: true });
    const html = readFileSync(`${appB}/index.html`, 'utf8');
    const wasm = html.match(/data-wasm="\.\/([^"]+)"/)[1];
    const renamed = wasm.replace('_bg.wasm', '-b_bg.wasm');
    copyFileSync(`${appB}/${wasm}`, `${appB}/${renamed}`);
    writeFileSync(`${appB}/index.html`, html.replace(wasm, renamed));

    await visit(page, base, '#/?q=harbour');
    writeFileSync(updateSwitch, `${updateDir}a\n${appB}\n`);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    const banner = page.getByTestId('app-update');
    await expect(banner).toBeVisible();
    await banner.getByTestId('reload-app').click();
    await expect.poll(() => page.evaluate(() => document.querySelector('script[data-wasm]').dataset.wasm)).toContain('-b_bg.wasm');
    await expect(answered(page, 'harbour')).toBeVisible();
    await expect(page.getByTestId('app-update')).toHaveCount(0);
  });
});

