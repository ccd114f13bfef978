// Pictures of the reader, written on every run: tests/e2e/artifacts/screenshots/, and
// the two the README shows in docs/screenshots/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { articles, expect, openFilters, openReader, test } from './fixtures.mjs';

const shots = fileURLToPath(new URL('./artifacts/screenshots/', import.meta.url));
const docs = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const cjkPost = articles.find((a) => a.lang === 'zh-Hant' && a.url && a.tags.length > 0);

/** Waits for fonts and the sizing pass, then saves the page to artifacts/screenshots/<name>.png. */
async function shoot(page, name, { toDocs = false } = {}) {
  await page.evaluate(() => document.fonts.ready);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const path = `${shots}${name}.png`;
  await page.screenshot({ path });
  if (toDocs) {
    mkdirSync(docs, { recursive: true });
    copyFileSync(path, `${docs}${name}.png`);
  }
}

test('screenshot: the list of the demo archive, filters open', async ({ page }) => {
  await openReader(page);
  await openFilters(page);
  await shoot(page, 'list', { toDocs: true });
});

test('screenshot: an article in Chinese beside the list', async ({ page }) => {
  await openReader(page, `#/a/${cjkPost.id}`);
  await expect(page.getByTestId('article-title')).toHaveText(cjkPost.title);
  await shoot(page, 'article', { toDocs: true });
});

const hansPost = articles.find((a) => a.lang === 'zh-Hans');
for (const [locale, lang, post] of [
  ['zh-TW', 'zh-Hant', cjkPost],
  ['zh-CN', 'zh-Hans', hansPost],
]) {
  test.describe(`in ${lang}`, () => {
    test.use({ locale });
    test(`screenshot: the list and an article, interface in ${lang}`, async ({ page }) => {
      await openReader(page);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await shoot(page, `list-${lang}`, { toDocs: true });
      await openReader(page, `#/a/${post.id}`);
      await expect(page.getByTestId('article-title')).toHaveText(post.title);
      await shoot(page, `article-${lang}`, { toDocs: true });
    });
  });
}

test.describe('dark', () => {
  test.use({ colorScheme: 'dark', locale: 'zh-TW' });
  test('screenshot: an article in the dark theme, and the timeline', async ({ page }) => {
    await openReader(page, `#/a/${cjkPost.id}`);
    await expect(page.getByTestId('article-title')).toHaveText(cjkPost.title);
    await shoot(page, 'dark', { toDocs: true });
    const year = cjkPost.date.slice(0, 4);
    await openReader(page, `#/?from=${year}-01-01&to=${year}-12-31`);
    await openFilters(page);
    await expect(page.getByTestId('timeline-bar')).toHaveCount(12);
    await page.getByTestId('timeline').scrollIntoViewIfNeeded();
    await shoot(page, 'timeline', { toDocs: true });
  });
});

test.describe('errors', () => {
  test.use({ allowedConsoleErrors: [/^Failed to load resource/] });

  test('screenshot: the error screen for a missing archive', async ({ page }) => {
    await page.route('**/archive/archive.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto('/');
    await expect(page.getByTestId('error')).toBeVisible();
    await shoot(page, 'error');
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('screenshot: the list and an article on a phone', async ({ page }) => {
    await openReader(page);
    await shoot(page, 'phone-list');
    await page.getByTestId('row').filter({ hasText: cjkPost.title }).first().click();
    await expect(page.getByTestId('article-title')).toHaveText(cjkPost.title);
    await shoot(page, 'phone-article');
  });
});
