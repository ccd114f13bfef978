// Archives opened from a file: a one-file bundle (target/demo-import.tar, other posts than
// the page's own) imported through "Open archive…", kept in this browser's storage, listed
// in the library, there again after a reload, read and searched like the page's archive
// (against the oracle, from the bundle's own files), offline too; a bad file is refused
// with a message, and nothing else changes.
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answered, articles as pageArticles, expect, openReader, resultCount, search, test } from './fixtures.mjs';
import { readSharded } from './sharded-archive.mjs';
import { searchRules } from './search-oracle.mjs';

const bundleFile = fileURLToPath(new URL('../../target/demo-import.tar', import.meta.url));
const importDir = fileURLToPath(new URL('../../target/demo-import/', import.meta.url));
const hasBundle = existsSync(bundleFile) && existsSync(`${importDir}archive.json`);
test.skip(!hasBundle, `no ${bundleFile}: run \`make demo-archive\``);

const imported = hasBundle ? readSharded(importDir) : null;
const oracle = hasBundle ? searchRules(imported.articles, imported.detailRows.map((d) => d.body), imported.facets) : null;
// Words of the imported posts, Latin and Han, and one of no post.
const QUERIES = ['lazy', 'front matter', '熱線', 'date -only', 'zzzqqq'];

/** A copy of the bundle with one byte of a member changed: its digest no longer matches. */
function damagedBundle() {
  const bytes = readFileSync(bundleFile);
  const at = bytes.indexOf(Buffer.from('"format_version"'));
  bytes[at + 1] ^= 0x20;
  const dir = mkdtempSync(join(tmpdir(), 'newsreader-'));
  const file = join(dir, 'damaged.tar');
  writeFileSync(file, bytes);
  return file;
}

async function openLibrary(page) {
  await page.getByTestId('library-button').click();
  await expect(page.getByTestId('library-dialog')).toBeVisible();
}

/** Imports `file` through the library's "Open archive…" and waits for it to open. */
async function importBundle(page, file) {
  await openLibrary(page);
  await page.getByTestId('open-archive').setInputFiles(file);
  await page.waitForURL(/\?archive=[0-9a-f]{16}#\//);
  await expect(resultCount(page)).toHaveText(String(imported.articles.length));
}

test('an imported bundle opens, stays in the library after a reload, and reads and searches like its folder', async ({ page }) => {
  await openReader(page);
  const started = Date.now();
  await importBundle(page, bundleFile);
  console.log(`import of ${readFileSync(bundleFile).length} bytes and first list: ${Date.now() - started} ms`);
  await expect(page.getByTestId('archive-info')).toContainText('demo-import');
  await expect(page.getByTestId('offline-status')).toHaveAttribute('data-state', 'saved');

  await page.reload();
  await expect(resultCount(page)).toHaveText(String(imported.articles.length));
  await openLibrary(page);
  const entry = page.getByTestId('library-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('demo-import');
  await expect(entry).toContainText(`${imported.articles.length} posts`);
  await expect(entry).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Escape');

  for (const q of QUERIES) {
    await search(page, q);
    await expect(answered(page, q)).toHaveText(String(oracle.listing({ q }).length));
  }
  const article = imported.articles[1];
  await page.goto(`${new URL(page.url()).search}#/a/${encodeURIComponent(article.id)}`);
  await expect(page.getByTestId('article-title')).toHaveText(article.title);

  // Back to the page's own archive, from the library: both are there.
  await openLibrary(page);
  await page.getByTestId('library-bundled').getByTestId('library-open').click();
  await expect(resultCount(page)).toHaveText(String(pageArticles.length));
  expect(new URL(page.url()).search).toBe('');
  await openLibrary(page);
  await expect(page.getByTestId('library-entry')).toHaveCount(1);
});

test('a damaged or foreign file is refused with a message, and nothing else changes', async ({ page }) => {
  await openReader(page);
  await importBundle(page, bundleFile);
  const before = await page.evaluate(() => localStorage.getItem('newsreader.imports'));

  const foreign = join(mkdtempSync(join(tmpdir(), 'newsreader-')), 'notes.json');
  writeFileSync(foreign, '{"not": "a bundle"}');
  for (const [file, message] of [
    [damagedBundle(), /archive\.json is damaged/],
    [foreign, /not a news archive bundle/],
  ]) {
    await openLibrary(page);
    await page.getByTestId('open-archive').setInputFiles(file);
    const alert = page.getByTestId('import-error');
    await expect(alert).toHaveAttribute('role', 'alert');
    await expect(alert).toContainText(message);
    await expect(alert).toContainText('nothing was changed');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => localStorage.getItem('newsreader.imports'))).toBe(before);
    await expect(resultCount(page)).toHaveText(String(imported.articles.length));
  }
  // And the kept copy still reads.
  await page.reload();
  await search(page, 'lazy');
  await expect(answered(page, 'lazy')).toHaveText(String(oracle.listing({ q: 'lazy' }).length));
});

test('a bundle dropped anywhere on the page is imported and opened', async ({ page }) => {
  await openReader(page);
  const base64 = readFileSync(bundleFile).toString('base64');
  await page.evaluate((data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'dropped-news.tar', { type: 'application/x-tar' }));
    const target = document.querySelector('[data-testid=row]');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, base64);
  await page.waitForURL(/\?archive=[0-9a-f]{16}#\//);
  await expect(resultCount(page)).toHaveText(String(imported.articles.length));
  await expect(page.getByTestId('archive-info')).toContainText('dropped-news');
});

test('a deleted archive leaves the library, and a link to it says it is not in this browser', async ({ page }) => {
  await openReader(page);
  await importBundle(page, bundleFile);
  const link = page.url();
  await openLibrary(page);
  await page.getByTestId('library-delete').click();
  await page.getByTestId('library-delete-confirm').click();
  // Deleting the open archive shows the page's own.
  await expect(resultCount(page)).toHaveText(String(pageArticles.length));
  await openLibrary(page);
  await expect(page.getByTestId('library-entry')).toHaveCount(0);
  await page.goto(link);
  await expect(page.getByTestId('error')).toContainText('not in this browser');
  await page.getByTestId('open-bundled').click();
  await expect(resultCount(page)).toHaveText(String(pageArticles.length));
});

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow' });

  test('an imported archive reads and searches offline, articles never opened included', async ({ page, context }) => {
    await openReader(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await importBundle(page, bundleFile);
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    await context.setOffline(true);
    await page.reload();
    await expect(resultCount(page)).toHaveText(String(imported.articles.length));
    for (const q of QUERIES) {
      await search(page, q);
      await expect(answered(page, q)).toHaveText(String(oracle.listing({ q }).length));
    }
    const article = imported.articles.at(-1);
    await page.goto(`${new URL(page.url()).search}#/a/${encodeURIComponent(article.id)}`);
    await expect(page.getByTestId('article-title')).toHaveText(article.title);
  });
});

test.describe('where the browser has no writable origin-private files', () => {
  test('the bundle is kept in IndexedDB instead, and reads the same after a reload', async ({ page }) => {
    // static/imports.js takes OPFS only with writable files; without them, IndexedDB.
    await page.addInitScript(() => {
      if (globalThis.FileSystemFileHandle) delete FileSystemFileHandle.prototype.createWritable;
    });
    await openReader(page);
    await importBundle(page, bundleFile);
    await page.reload();
    await expect(resultCount(page)).toHaveText(String(imported.articles.length));
    const kept = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('newsreader-imports');
          open.onsuccess = () => {
            const count = open.result.transaction('bundles').objectStore('bundles').count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => reject(count.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    expect(kept).toBe(1);
    await search(page, 'lazy');
    await expect(answered(page, 'lazy')).toHaveText(String(oracle.listing({ q: 'lazy' }).length));
  });
});
