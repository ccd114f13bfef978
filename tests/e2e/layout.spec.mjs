// Wide screens show the list and the article side by side; phones show one of the two.
import { articles, expect, listRoute, openReader, resultCount, routeOf, test } from './fixtures.mjs';

const listPane = (page) => page.locator('.list-pane');
const articlePane = (page) => page.locator('.article-pane');

test('on a wide screen the list and the article are side by side, with no back button', async ({ page }) => {
  await openReader(page);
  await page.getByTestId('row').nth(1).click();
  await expect(page.getByTestId('article-title')).toHaveText(articles[1].title);
  await expect(listPane(page)).toBeVisible();
  await expect(page.getByTestId('back')).toBeHidden();
  const [list, article] = [await listPane(page).boundingBox(), await articlePane(page).boundingBox()];
  expect(list.x + list.width).toBeLessThanOrEqual(article.x + 1);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('the list fills the screen; an article replaces it, and its back button returns', async ({ page }) => {
    await openReader(page);
    await expect(listPane(page)).toBeVisible();
    await expect(articlePane(page)).toBeHidden();
    expect((await listPane(page).boundingBox()).width).toBeGreaterThan(380);

    await page.getByTestId('row').first().click();
    await expect(page.getByTestId('article-title')).toHaveText(articles[0].title);
    await expect(page.getByTestId('article-title')).toBeInViewport();
    await expect(listPane(page)).toBeHidden();
    const back = page.getByTestId('back');
    await expect(back).toBeVisible();

    await back.click();
    await expect(page.getByTestId('article')).toHaveCount(0);
    await expect(listPane(page)).toBeVisible();
    await expect(resultCount(page)).toHaveText(String(articles.length));
    expect(routeOf(page)).toEqual(listRoute());
  });

  test('nothing is wider than the screen', async ({ page }) => {
    await openReader(page);
    for (const hash of ['#/', `#/a/${articles.find((a) => a.lang.startsWith('zh')).id}`]) {
      await page.goto(hash);
      await expect(page.getByTestId('search')).toBeAttached();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    }
  });
});
