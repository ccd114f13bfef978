import { articles, bodyOf, expect, listRoute, listing, openReader, routeOf, test } from './fixtures.mjs';

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

test('j and k pressed faster than the reader renders each move one article', async ({ page }) => {
  await openReader(page);
  const title = page.getByTestId('article-title');
  // No wait between the keys: each comes before the article the one before opened is drawn.
  for (let i = 0; i < 6; i += 1) await page.keyboard.press('j');
  await expect(title).toHaveText(articles[5].title);
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('k');
  await expect(title).toHaveText(articles[2].title);
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

// ---- the whole map, and where focus is ------------------------------------------

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return { tag: el.tagName, testid: el.dataset.testid ?? null, id: el.dataset.id ?? null, text: el.textContent.trim().slice(0, 80) };
});

test('opening an article moves focus to its heading and announces it', async ({ page }) => {
  await openReader(page);
  await page.keyboard.press('j');
  await expect(page.getByTestId('article-title')).toBeFocused();
  await expect(page.getByTestId('announce')).toHaveText(`Opened: ${articles[0].title}`);
  // The keys that scroll now scroll the article, not the list or nothing.
  const pane = page.locator('#article-pane');
  const long = articles.reduce((a, b) => (bodyLength(b) > bodyLength(a) ? b : a));
  await openReader(page, `#/a/${encodeURIComponent(long.id)}`);
  await expect(page.getByTestId('article-title')).toBeFocused();
  // A fresh page: the body shows once the sanitizer module has arrived.
  await expect(page.locator('.article-body')).toBeVisible();
  await page.keyboard.press('PageDown');
  await expect.poll(() => pane.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await page.keyboard.press('End');
  await expect.poll(() => pane.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2)).toBe(true);
});

const bodyLength = (article) => bodyOf(article).length;

test('Space pages through the article, then opens the next; Shift-Space pages back', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 600 });
  await openReader(page);
  await page.keyboard.press('j');
  await expect(page.locator('.article-body')).toBeVisible();
  const pane = page.locator('#article-pane');
  const scrollTop = () => pane.evaluate((el) => el.scrollTop);
  const atEnd = () => pane.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2);
  let pages = 0;
  while (!(await atEnd())) {
    const before = await scrollTop();
    await page.keyboard.press(' ');
    await expect.poll(scrollTop).toBeGreaterThan(before);
    pages += 1;
    expect(pages).toBeLessThan(50);
  }
  if (pages > 0) {
    const bottom = await scrollTop();
    await page.keyboard.press('Shift+ ');
    await expect.poll(scrollTop).toBeLessThan(bottom);
    // The browser's own End scrolls smoothly: Space decides once it has arrived.
    await page.keyboard.press('End');
    await expect.poll(atEnd).toBe(true);
  }
  await expect(page.getByTestId('article-title')).toHaveText(articles[0].title);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('article-title')).toHaveText(articles[1].title);
});

test('n and p move the list cursor without opening; o and Enter open it', async ({ page }) => {
  await openReader(page);
  await page.keyboard.press('n');
  // Focus follows the cursor once the list has drawn it, a frame after the key.
  await expect.poll(() => focused(page)).toMatchObject({ testid: 'row', id: articles[1].id });
  await page.keyboard.press('n');
  await page.keyboard.press('p');
  await expect.poll(() => focused(page)).toMatchObject({ testid: 'row', id: articles[1].id });
  await expect(page.getByTestId('article')).toHaveCount(0);
  await page.keyboard.press('o');
  await expect(page.getByTestId('article-title')).toHaveText(articles[1].title);
  await page.keyboard.press('n');
  // Enter opens the row that has focus, which follows the cursor a frame after the key.
  await expect.poll(() => focused(page)).toMatchObject({ testid: 'row', id: articles[2].id });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('article-title')).toHaveText(articles[2].title);
});

test('the list is one tab stop; arrows walk it, and focus survives rows scrolled away', async ({ page }) => {
  await openReader(page);
  await page.getByTestId('search').focus();
  // From the search box, Tab reaches the list's row in a few steps, not after every facet.
  let steps = 0;
  while ((await focused(page)).testid !== 'row') {
    await page.keyboard.press('Tab');
    steps += 1;
    expect(steps, 'Tab presses to reach the list').toBeLessThan(15);
  }
  expect((await focused(page)).id).toBe(articles[0].id);
  const walk = Math.min(articles.length - 1, 30);
  for (let i = 0; i < walk; i += 1) await page.keyboard.press('ArrowDown');
  // Focus moves when the list has drawn the cursor's row, a frame after the key.
  await expect.poll(() => focused(page)).toMatchObject({ testid: 'row', id: articles[walk].id });
  await page.keyboard.press('Home');
  // As for every move of the cursor, focus follows a frame after the key.
  await expect.poll(() => focused(page)).toMatchObject({ testid: 'row', id: articles[0].id });
  await page.keyboard.press('End');
  // The last row is drawn, then focused, a frame or two after the key.
  await expect.poll(() => focused(page)).toMatchObject({ testid: 'row', id: articles.at(-1).id });
  // Scrolling the list far away with the wheel keeps the focused row in the DOM.
  await page.keyboard.press('Home');
  await page.locator('.list').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.waitForTimeout(100);
  expect(await focused(page)).toMatchObject({ testid: 'row', id: articles[0].id });
  // Tab leaves the list (past the row's star) for the article pane's content.
  await page.keyboard.press('Tab');
  expect((await focused(page)).testid).toBe('star');
  await page.keyboard.press('Tab');
  expect((await focused(page)).testid).not.toBe('row');
});

test('focus stays on the list’s cursor when keys come faster than the list scrolls', async ({ page }) => {
  await openReader(page);
  await page.getByTestId('search').focus();
  while ((await focused(page)).testid !== 'row') await page.keyboard.press('Tab');
  for (let i = 0; i < 30; i += 1) await page.keyboard.press('ArrowDown');
  await expect.poll(() => focused(page)).toMatchObject({ testid: 'row', id: articles[30].id });
  // Each key lands before the list has scrolled for the one before: the rows rendered
  // change under the focused row, which must stay where it is (and focused).
  for (let round = 0; round < 5; round += 1) {
    await page.keyboard.press('Home');
    await page.keyboard.press('End');
    await expect.poll(() => focused(page), `round ${round}: End`).toMatchObject({ testid: 'row', id: articles.at(-1).id });
    await page.keyboard.press('Home');
    await expect.poll(() => focused(page), `round ${round}: Home`).toMatchObject({ testid: 'row', id: articles[0].id });
    for (let i = 0; i < 20; i += 1) await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(page), `round ${round}: down`).toMatchObject({ testid: 'row', id: articles[20].id });
  }
});

test('keyboard only: from the list, Tab reaches the article’s tags and original link', async ({ page }) => {
  const post = articles.find((a) => a.url && a.tags.length > 0);
  await openReader(page, `#/a/${encodeURIComponent(post.id)}`);
  await expect(page.getByTestId('article-title')).toBeFocused();
  const seen = new Set();
  for (let i = 0; i < 40 && !(seen.has('original-link') && seen.has('article-tag')); i += 1) {
    await page.keyboard.press('Tab');
    seen.add((await focused(page)).testid);
  }
  expect([...seen]).toEqual(expect.arrayContaining(['star', 'share', 'original-link', 'article-tag']));
});

test('s stars, m marks unread, v opens the original in a new tab', async ({ page, context, watch }) => {
  const post = articles.find((a) => a.url);
  await openReader(page, `#/a/${encodeURIComponent(post.id)}`);
  const star = page.getByTestId('article').getByTestId('star');
  await page.keyboard.press('s');
  await expect(star).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('s');
  await expect(star).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('m');
  await expect(page.getByTestId('toggle-read')).toHaveAttribute('aria-pressed', 'true');
  const [popup] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('v')]);
  // The new tab asks for the post's own address (which the harness blocks, as it blocks
  // every request that would leave 127.0.0.1), with no way back to the reader.
  await expect.poll(() => watch.offsite.map((r) => r.url)).toContain(post.url);
  expect(await popup.evaluate(() => window.opener)).toBeNull();
  await popup.close();
  expect(watch.takeOffsite().map((r) => r.url)).toEqual([post.url]);
});

test('? opens the shortcuts as a dialog; Esc closes it and focus returns', async ({ page }) => {
  await openReader(page);
  await page.keyboard.press('n');
  const before = await focused(page);
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('tbody tr')).toHaveCount(16);
  await expect(dialog).toContainText('Mark all in the list as read');
  // Shortcuts are the dialog's while it is open.
  await page.keyboard.press('j');
  await expect(page.getByTestId('article')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  expect(await focused(page)).toEqual(before);
  // The settings dialog returns focus to its button.
  await page.getByTestId('settings').click();
  await expect(page.getByTestId('settings-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('settings')).toBeFocused();
});

test('a skip link leads past the top bar to the list', async ({ page }) => {
  await openReader(page);
  await page.keyboard.press('Tab');
  const skip = page.getByTestId('skip-to-list');
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('#list-pane')).toBeFocused();
});
