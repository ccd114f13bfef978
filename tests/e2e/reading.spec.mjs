// Read, unread and starred: kept on the device by post id, shown in the list and the
// article, counted, filtered (in the URL, with the other filters), exported, imported
// and cleared; a storage that refuses is said, not silent.
import { readFileSync } from 'node:fs';
import { articles, expect, listing, openReader, resultCount, routeOf, test } from './fixtures.mjs';

const row = (page, id) => page.locator(`[data-testid=row][data-id="${id}"]`);
const rowStar = (page, id) => page.locator(`[data-at]:has([data-id="${id}"]) [data-testid=star]`);
const articleStar = (page) => page.getByTestId('article').getByTestId('star');
const count = (page, view) => page.getByTestId(`view-${view}`);

test('an article opened is read; its row says so, and the unread count falls', async ({ page }) => {
  await openReader(page);
  await expect(count(page, 'unread')).toHaveAttribute('data-count', String(articles.length));
  await expect(row(page, articles[1].id)).not.toHaveAttribute('data-read', 'true');
  await row(page, articles[1].id).click();
  await expect(page.getByTestId('article-title')).toHaveText(articles[1].title);
  await expect(row(page, articles[1].id)).toHaveAttribute('data-read', 'true');
  await expect(row(page, articles[0].id)).not.toHaveAttribute('data-read', 'true');
  await expect(count(page, 'unread')).toHaveAttribute('data-count', String(articles.length - 1));
  // "Keep unread" undoes it, and m toggles it.
  await page.getByTestId('toggle-read').click();
  await expect(row(page, articles[1].id)).not.toHaveAttribute('data-read', 'true');
  await page.keyboard.press('m');
  await expect(row(page, articles[1].id)).toHaveAttribute('data-read', 'true');
});

test('stars from the list and from the article, the same mark, kept after a reload', async ({ page }) => {
  await openReader(page);
  const [a, b] = articles;
  await rowStar(page, a.id).click();
  await expect(rowStar(page, a.id)).toHaveAttribute('aria-pressed', 'true');
  // Starring from the list opens nothing and reads nothing.
  await expect(page.getByTestId('article')).toHaveCount(0);
  await expect(row(page, a.id)).not.toHaveAttribute('data-read', 'true');
  await row(page, b.id).click();
  await expect(articleStar(page)).toHaveAttribute('aria-pressed', 'false');
  await articleStar(page).click();
  await expect(articleStar(page)).toHaveAttribute('aria-pressed', 'true');
  await expect(rowStar(page, b.id)).toHaveAttribute('aria-pressed', 'true');
  await expect(count(page, 'starred')).toHaveAttribute('data-count', '2');

  await page.reload();
  await expect(resultCount(page)).toBeVisible();
  await expect(articleStar(page)).toHaveAttribute('aria-pressed', 'true');
  await expect(rowStar(page, a.id)).toHaveAttribute('aria-pressed', 'true');
  await expect(row(page, b.id)).toHaveAttribute('data-read', 'true');
  await expect(count(page, 'starred')).toHaveAttribute('data-count', '2');
});

test('unread and starred views live in the URL and combine with the other filters', async ({ page }) => {
  const source = articles[0].source;
  const bySource = listing({ source: [source] });
  await openReader(page, `#/?source=${encodeURIComponent(source)}`);
  await row(page, bySource[0].id).click();
  await expect(page.getByTestId('article-title')).toHaveText(bySource[0].title);
  await page.keyboard.press('s');
  await page.keyboard.press('Escape');

  await page.getByTestId('view-unread').click();
  expect(routeOf(page).params).toEqual([['source', source], ['show', 'unread']]);
  await expect(resultCount(page)).toHaveText(String(bySource.length - 1));
  await expect(page.getByTestId('chip')).toContainText(['Unread']);
  await page.getByTestId('view-starred').click();
  await expect(resultCount(page)).toHaveText('1');
  await expect(page.getByTestId('row').locator('.row-title')).toHaveText([bySource[0].title]);

  // The link works on its own, and g then a goes back to all.
  await openReader(page, `#/?source=${encodeURIComponent(source)}&show=starred`);
  await expect(resultCount(page)).toHaveText('1');
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(resultCount(page)).toHaveText(String(bySource.length));
  expect(routeOf(page).params).toEqual([['source', source]]);
});

test('a post read in the unread view stays in the list until the view is chosen again', async ({ page }) => {
  await openReader(page, '#/?show=unread');
  await expect(resultCount(page)).toHaveText(String(articles.length));
  await page.keyboard.press('j');
  await expect(page.getByTestId('article-title')).toHaveText(articles[0].title);
  await expect(resultCount(page)).toHaveText(String(articles.length));
  await expect(row(page, articles[0].id)).toHaveAttribute('data-read', 'true');
  await page.keyboard.press('j');
  await expect(page.getByTestId('article-title')).toHaveText(articles[1].title);
  // The mark is kept a moment after the article shows: reload once it is.
  const kept = (id) => page.evaluate((id) => (localStorage.getItem('newsreader.reading') ?? '').includes(id), id);
  await expect.poll(() => kept(articles[1].id)).toBe(true);
  await page.reload();
  await expect(resultCount(page)).toHaveText(String(articles.length - 2));
});

test('mark all read (Shift-A), undo, and mark all above as read', async ({ page }) => {
  const source = articles[0].source;
  const bySource = listing({ source: [source] });
  await openReader(page, `#/?source=${encodeURIComponent(source)}`);
  await page.keyboard.press('Shift+A');
  await expect(page.getByTestId('notice')).toContainText(`Marked ${bySource.length} posts as read`);
  await expect(count(page, 'unread')).toHaveAttribute('data-count', String(articles.length - bySource.length));
  await page.getByTestId('undo').click();
  await expect(count(page, 'unread')).toHaveAttribute('data-count', String(articles.length));

  await openReader(page, `#/a/${encodeURIComponent(articles[3].id)}`);
  await page.getByTestId('mark-above-read').click();
  // Three above it, and itself (opened).
  await expect(count(page, 'unread')).toHaveAttribute('data-count', String(articles.length - 4));
  for (const a of articles.slice(0, 4)) await expect(row(page, a.id)).toHaveAttribute('data-read', 'true');
  await expect(row(page, articles[4].id)).not.toHaveAttribute('data-read', 'true');
});

test('export and import round-trip the marks; clearing them is one action', async ({ page }, testInfo) => {
  await openReader(page);
  await rowStar(page, articles[2].id).click();
  await row(page, articles[5].id).click();
  await expect(row(page, articles[5].id)).toHaveAttribute('data-read', 'true');

  await page.getByTestId('settings').click();
  await expect(page.getByTestId('reading-counts')).toHaveText('On this device: 1 read, 1 starred.');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reading-export').click()]);
  const file = testInfo.outputPath('marks.json');
  await download.saveAs(file);
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  expect(exported.format).toBe('newsreader-reading-state');
  expect(exported.read).toEqual([articles[5].id]);
  expect(exported.starred.map((s) => s.id)).toEqual([articles[2].id]);

  await page.getByTestId('reading-clear').click();
  await page.getByTestId('reading-clear-confirm').click();
  await expect(page.getByTestId('reading-counts')).toHaveText('On this device: 0 read, 0 starred.');
  await page.keyboard.press('Escape');
  await expect(rowStar(page, articles[2].id)).toHaveAttribute('aria-pressed', 'false');

  await page.getByTestId('settings').click();
  await page.getByTestId('reading-import').setInputFiles(file);
  await expect(page.getByTestId('notice')).toContainText('Imported: 1 read, 1 starred.');
  await expect(page.getByTestId('reading-counts')).toHaveText('On this device: 1 read, 1 starred.');
  await page.keyboard.press('Escape');
  await expect(rowStar(page, articles[2].id)).toHaveAttribute('aria-pressed', 'true');
  await expect(row(page, articles[5].id)).toHaveAttribute('data-read', 'true');

  // A file that is not an export is refused, in words, and changes nothing.
  await page.getByTestId('settings').click();
  await page.getByTestId('reading-import').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"other"}') });
  await expect(page.getByTestId('notice')).toContainText('That file could not be imported');
  await expect(page.getByTestId('reading-counts')).toHaveText('On this device: 1 read, 1 starred.');
});

test.describe('when the browser refuses to keep anything', () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        if (key.startsWith('newsreader.reading')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return setItem.call(this, key, value);
      };
    });
  });

  test('marks still work for the visit, and the reader is told they are not kept', async ({ page }) => {
    await openReader(page);
    await rowStar(page, articles[0].id).click();
    await expect(rowStar(page, articles[0].id)).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('storage-problem')).toContainText('Read and starred marks cannot be kept on this device');
    await expect(page.getByTestId('storage-problem')).toContainText('quota');
  });
});
