// Reading comfort: settings (text size relative to the browser's own, line width and
// spacing, themes), the scroll position kept per article, next and previous at the end,
// printing, sharing a link, and a layout that reflows from 320 px to 400% zoom with
// targets of at least 24×24 px.
import { articles, bodyOf, expect, openReader, test } from './fixtures.mjs';

const longest = articles.reduce((a, b) => (bodyOf(b).length > bodyOf(a).length ? b : a));
const articleHash = (a) => `#/a/${encodeURIComponent(a.id)}`;
const style = (page, selector, property) =>
  page.locator(selector).first().evaluate((el, p) => getComputedStyle(el)[p], property);

async function setting(page, testid, value) {
  await page.getByTestId('settings').click();
  await page.getByTestId(testid).selectOption(value);
  await page.keyboard.press('Escape');
}

test('text size is a share of the browser’s own default, kept after a reload', async ({ page }) => {
  await openReader(page, articleHash(longest));
  // The reader's browser default stays 100%: the page sets no pixel size of its own.
  expect(await style(page, 'html', 'fontSize')).toBe('16px');
  const before = parseFloat(await style(page, '.article-body', 'fontSize'));
  await setting(page, 'setting-text-size', '150');
  expect(await style(page, 'html', 'fontSize')).toBe('24px');
  expect(parseFloat(await style(page, '.article-body', 'fontSize'))).toBeCloseTo(before * 1.5, 0);
  await page.reload();
  await expect(page.getByTestId('article-title')).toBeVisible();
  expect(await style(page, 'html', 'fontSize')).toBe('24px');
});

test('a reader whose browser default is 20 px reads at 20 px, and 150% of it at 30 px', async ({ page, context }) => {
  const client = await context.newCDPSession(page);
  await client.send('Page.enable');
  await client.send('Page.setFontSizes', { fontSizes: { standard: 20 } });
  await openReader(page, articleHash(longest));
  expect(await style(page, 'html', 'fontSize')).toBe('20px');
  await setting(page, 'setting-text-size', '150');
  expect(await style(page, 'html', 'fontSize')).toBe('30px');
});

test('line width, line spacing and themes change what they say', async ({ page }) => {
  await openReader(page, articleHash(longest));
  const width = () => style(page, '.article', 'maxWidth').then(parseFloat);
  const medium = await width();
  await setting(page, 'setting-line-width', 'narrow');
  expect(await width()).toBeLessThan(medium);
  await setting(page, 'setting-line-width', 'wide');
  expect(await width()).toBeGreaterThan(medium);

  const leading = () => style(page, '.article-body', 'lineHeight').then(parseFloat);
  const normal = await leading();
  await setting(page, 'setting-line-height', 'relaxed');
  expect(await leading()).toBeGreaterThan(normal);

  const background = () => style(page, 'body', 'backgroundColor');
  expect(await background()).toBe('rgb(255, 255, 255)');
  await setting(page, 'setting-theme', 'dark');
  expect(await background()).toBe('rgb(21, 24, 28)');
  await setting(page, 'setting-theme', 'sepia');
  expect(await background()).toBe('rgb(246, 238, 219)');
  // Applied before the first paint after a reload (boot.js), not after the wasm.
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('sepia');
});

test.describe('a dark system', () => {
  test.use({ colorScheme: 'dark' });
  test('the system theme follows it, and Light overrides it', async ({ page }) => {
    await openReader(page);
    expect(await style(page, 'body', 'backgroundColor')).toBe('rgb(21, 24, 28)');
    await setting(page, 'setting-theme', 'light');
    expect(await style(page, 'body', 'backgroundColor')).toBe('rgb(255, 255, 255)');
  });
});

test('the article’s scroll position comes back with Back, Forward and reload', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 600 });
  await openReader(page, articleHash(longest));
  const pane = page.locator('#article-pane');
  const top = () => pane.evaluate((el) => el.scrollTop);
  await pane.evaluate((el) => (el.scrollTop = Math.min(300, el.scrollHeight - el.clientHeight)));
  const at = await top();
  expect(at).toBeGreaterThan(0);
  await page.waitForTimeout(400); // written once scrolling stops
  // Opening another article starts at its top.
  const other = articles.find((a) => a !== longest);
  await page.locator(`[data-testid=row][data-id="${other.id}"]`).click();
  await expect(page.getByTestId('article-title')).toHaveText(other.title);
  await expect.poll(top).toBe(0);
  await page.goBack();
  await expect(page.getByTestId('article-title')).toHaveText(longest.title);
  await expect.poll(top).toBe(at);
  await page.goForward();
  await expect(page.getByTestId('article-title')).toHaveText(other.title);
  await page.goBack();
  await page.reload();
  await expect(page.getByTestId('article-title')).toHaveText(longest.title);
  await expect.poll(top).toBe(at);
});

test('next and previous at the end of an article follow the list', async ({ page }) => {
  await openReader(page, articleHash(articles[1]));
  await expect(page.getByTestId('previous-article')).toContainText(articles[0].title);
  await page.getByTestId('next-article').click();
  await expect(page.getByTestId('article-title')).toHaveText(articles[2].title);
  await openReader(page, articleHash(articles.at(-1)));
  await expect(page.getByTestId('next-article')).toHaveCount(0);
  await expect(page.getByTestId('end-of-list')).toBeVisible();
});

test('printing shows the article with its title, date, source and original address only', async ({ page }) => {
  const post = articles.find((a) => a.url);
  await openReader(page, articleHash(post));
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.list-pane')).toBeHidden();
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(page.getByTestId('article-title')).toBeVisible();
  await expect(page.getByTestId('article-date')).toBeVisible();
  await expect(page.locator('.print-only')).toContainText(post.url);
  await expect(page.locator('.print-only')).toContainText(post.source);
  await expect(page.getByTestId('share')).toBeHidden();
  const pdf = await page.pdf();
  expect(pdf.length).toBeGreaterThan(1000);
});

test('the share button copies the article’s own link', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openReader(page, `${articleHash(articles[2])}?q=test`);
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-status')).toHaveText('Link copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}${articleHash(articles[2])}`);
});

/**
 * Buttons, links and fields smaller than 24×24 px, other than links inside article text.
 * A checkbox is measured with its label, which toggles it too.
 */
const smallTargets = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('button, a[href], input, select, summary')]
      .filter((el) => !el.closest('.article-body') && el.getClientRects().length > 0 && !el.closest('.sr-only'))
      .filter((el) => !(el.type === 'file'))
      .map((el) => [el, (el.type === 'checkbox' && el.closest('label') ? el.closest('label') : el).getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && (r.width < 24 || r.height < 24))
      .map(([el, r]) => `${el.tagName}.${el.className} “${el.textContent.trim().slice(0, 20)}” ${Math.round(r.width)}×${Math.round(r.height)}`),
  );

for (const [name, viewport] of [
  ['a 320 px phone', { width: 320, height: 640 }],
  ['400% zoom of 1280×800', { width: 320, height: 200 }],
]) {
  test.describe(name, () => {
    test.use({ viewport });
    test('the list and an article reflow: no sideways scrolling, the list has height, targets are 24 px', async ({ page }) => {
      await openReader(page);
      const list = await page.locator('.list').boundingBox();
      expect(list.height).toBeGreaterThan(100);
      await expect(page.getByTestId('row').first()).toBeVisible();
      const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(await sideways()).toBeLessThanOrEqual(0);
      expect(await smallTargets(page)).toEqual([]);
      await page.locator('details.filter-panel > summary').click();
      expect(await sideways()).toBeLessThanOrEqual(0);
      expect(await smallTargets(page)).toEqual([]);
      await page.getByTestId('row').first().click();
      await expect(page.getByTestId('article-title')).toBeVisible();
      expect(await sideways()).toBeLessThanOrEqual(0);
      expect(await smallTargets(page)).toEqual([]);
    });
  });
}
