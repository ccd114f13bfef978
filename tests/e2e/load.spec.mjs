import { articles, expect, openReader, resultCount, rowTitles, test } from './fixtures.mjs';

/** Holds every request matching `pattern` until the returned function is called. */
async function hold(page, pattern) {
  let release;
  const held = new Promise((done) => { release = done; });
  await page.route(pattern, async (route) => {
    await held;
    await route.fallback();
  });
  return release;
}

const shownTitles = (page) => rowTitles(page).evaluateAll((els) => els.map((e) => e.textContent));

test('the demo archive loads and lists every post, newest first, cleanly', async ({ page, watch }) => {
  await page.goto('/');
  await expect(resultCount(page)).toHaveText(String(articles.length));
  await expect(page.getByTestId('loading')).toHaveCount(0);
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expect(page.locator('.archive-info')).toContainText(`${articles.length} posts`);

  await expect(rowTitles(page).first()).toHaveText(articles[0].title);
  const titles = await shownTitles(page);
  expect(titles.length).toBeGreaterThanOrEqual(5);
  expect(titles).toEqual(articles.slice(0, titles.length).map((a) => a.title));

  // `watch` checks the rest when the test ends (console errors, offsite requests);
  // checked here too because a clean first load is this test's whole point.
  expect(watch.consoleErrors).toEqual([]);
  expect(watch.cspViolations).toEqual([]);
});

test('the list renders only the rows in view, and scrolling reaches the last post', async ({ page }) => {
  await openReader(page);
  expect(await rowTitles(page).count()).toBeLessThan(articles.length);
  await page.locator('.list').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(rowTitles(page).last()).toHaveText(articles.at(-1).title);
  expect(await rowTitles(page).count()).toBeLessThan(articles.length);
});

test('a new result set starts at the top of the list, and a list at the top stays put', async ({ page }) => {
  await openReader(page);
  const list = page.locator('.list');
  await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(rowTitles(page).last()).toHaveText(articles.at(-1).title);
  await page.getByTestId('sort').selectOption('oldest');
  await expect(rowTitles(page).first()).toHaveText(articles.at(-1).title);
  await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBe(0);
  await expect(rowTitles(page).first()).toBeInViewport();
  await page.getByTestId('sort').selectOption('newest');
  await expect(rowTitles(page).first()).toHaveText(articles[0].title);
  expect(await list.evaluate((el) => el.scrollTop)).toBe(0);
});

test('a list that started empty sizes its spacers by the rows it then shows', async ({ page }) => {
  // Larger text makes rows taller than the height assumed before one is measured.
  await page.addInitScript(() => localStorage.setItem('newsreader.settings', JSON.stringify({ text_size: 150 })));
  await openReader(page, '#/?q=zzqqxx');
  await expect(page.getByTestId('no-results')).toBeVisible();
  await page.evaluate(() => { location.hash = '#/'; });
  await expect(rowTitles(page).first()).toHaveText(articles[0].title);
  const sizes = () => page.locator('.list').evaluate((list) => {
    const row = list.querySelector('.row').offsetHeight;
    return [...list.querySelectorAll(':scope > .spacer')].map((s) => [s.style.height, `${Number(s.dataset.rows) * row}px`]);
  });
  await expect.poll(async () => (await sizes()).every(([height, rows]) => height === rows)).toBe(true);
});

test('while the archive downloads, a progress bar shows, then the list replaces it', async ({ page }) => {
  const release = await hold(page, '**/archive/archive.json');
  await page.goto('/');
  await expect(page.getByTestId('loading')).toBeVisible();
  await expect(page.getByTestId('loading').locator('progress')).toBeAttached();
  release();
  await expect(resultCount(page)).toHaveText(String(articles.length));
  await expect(page.getByTestId('loading')).toHaveCount(0);
});

test('text typed into the first paint’s search box, before the app is here, is searched', async ({ page }) => {
  const release = await hold(page, '**/*_bg.wasm');
  await page.goto('/');
  await page.locator('#boot-search').fill('Harbour');
  await expect(page.locator('#boot-search')).toBeFocused();
  release();
  await expect(page.getByTestId('boot')).toHaveCount(0);
  await expect(page.getByTestId('search')).toHaveValue('Harbour');
  await expect(page.getByTestId('search')).toBeFocused();
  await expect(resultCount(page)).toHaveAttribute('data-query', 'Harbour');
});
