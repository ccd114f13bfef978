import { articles, expect, listRoute, listing, openReader, routeOf, test } from './fixtures.mjs';

test('“/” focuses the title filter, and Esc leaves it', async ({ page }) => {
  await openReader(page);
  const search = page.getByTestId('search');
  await expect(search).not.toBeFocused();
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('');
  // Letters typed there are text, not shortcuts.
  await page.keyboard.type('j');
  await expect(search).toHaveValue('j');
  await expect(page.getByTestId('article')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(search).not.toBeFocused();
});

test('j and k open the next and previous article of the list, Esc returns to it', async ({ page }) => {
  await openReader(page);
  const title = page.getByTestId('article-title');
  await page.keyboard.press('j');
  await expect(title).toHaveText(articles[0].title);
  await page.keyboard.press('j');
  await expect(title).toHaveText(articles[1].title);
  await page.keyboard.press('k');
  await expect(title).toHaveText(articles[0].title);
  await page.keyboard.press('k');
  await expect(title).toHaveText(articles[0].title);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('article')).toHaveCount(0);
  await expect(page).toHaveTitle('News archive');
  expect(routeOf(page)).toEqual(listRoute());
});

test('walking past the rows in view with j scrolls the list along', async ({ page }) => {
  await openReader(page);
  const steps = Math.min(articles.length, 15);
  for (const article of articles.slice(0, steps)) {
    await page.keyboard.press('j');
    await expect(page.getByTestId('article-title')).toHaveText(article.title);
  }
  await expect(page.locator('[data-testid=row][aria-current=true] .row-title')).toHaveText(articles[steps - 1].title);
  await expect(page.locator('[data-testid=row][aria-current=true]')).toBeInViewport();
});

test('j follows the filtered, sorted list, not the archive order', async ({ page }) => {
  const source = articles.at(-1).source;
  const expected = listing({ source: [source], sort: 'oldest' });
  await openReader(page, `#/?source=${encodeURIComponent(source)}&sort=oldest`);
  await page.keyboard.press('j');
  await expect(page.getByTestId('article-title')).toHaveText(expected[0].title);
  await page.keyboard.press('j');
  await expect(page.getByTestId('article-title')).toHaveText(expected[1].title);
});
