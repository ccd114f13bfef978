// The sanitizer is a wasm module of its own (src/bin/sanitizer.rs), loaded when an
// article first needs it: the list and the search never wait for it, an article's body
// shows only once it has passed through it, and when it cannot be had the article says
// so (in words, with a way to try again) and shows none of its body.
import { articles, expect, hostile, openReader, search, test } from './fixtures.mjs';

const SANITIZER_WASM = /\/sanitizer-[0-9a-f]{1,16}_bg\.wasm$/;
const body = (page) => page.locator('.article-body');

/** The paths of the sanitizer's wasm the page asked for. */
function sanitizerRequests(page) {
  const asked = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (SANITIZER_WASM.test(path)) asked.push(path);
  });
  return asked;
}

test('the list and a search need no sanitizer; it is fetched once, when the first article opens', async ({ page, watch }) => {
  const asked = sanitizerRequests(page);
  await openReader(page);
  const query = articles[0].title.slice(0, 2);
  await search(page, query);
  await expect(page.getByTestId('row').first()).toBeVisible();
  expect(asked).toEqual([]);

  await page.getByTestId('row').first().click();
  await expect(body(page)).toBeVisible();
  await expect(body(page)).not.toBeEmpty();
  const first = await page.getByTestId('article-title').textContent();
  await page.getByTestId('next-article').click();
  await expect(page.getByTestId('article-title')).not.toHaveText(first);
  await expect(body(page)).toBeVisible();
  expect(asked).toHaveLength(1);
});

test.describe('when the sanitizer cannot be loaded', () => {
  test.use({ allowedConsoleErrors: [/^Failed to load resource/] });

  test('the article says why, shows none of its body, and Try again loads it', async ({ page, watch }) => {
    await page.route(SANITIZER_WASM, (route) => route.abort());
    await openReader(page, `#/a/${hostile.id}`);
    const alert = page.getByTestId('body-failed');
    await expect(alert).toHaveAttribute('role', 'alert');
    await expect(alert).toContainText('could not be loaded');
    await expect(body(page)).toHaveCount(0);
    // The rest of the article is there: only its body waits.
    await expect(page.getByTestId('article-title')).toHaveText(hostile.title);

    await page.unroute(SANITIZER_WASM);
    await page.getByTestId('retry-body').click();
    await expect(body(page)).toBeVisible();
    await expect(page.getByTestId('body-failed')).toHaveCount(0);
    await expect(body(page).locator('script, iframe, svg, [onerror], [onclick]')).toHaveCount(0);
  });
});

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow', allowedConsoleErrors: [/^Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED)/] });

  test('after a visit that opened no article, an article offline says the sanitizer is missing; online again, Try again shows it', async ({
    page,
    context,
    watch,
  }) => {
    await openReader(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await context.setOffline(true);
    await openReader(page, `#/a/${articles[0].id}`);
    const alert = page.getByTestId('body-failed');
    await expect(alert).toContainText('cannot be shown offline yet');
    await expect(body(page)).toHaveCount(0);

    await context.setOffline(false);
    await page.getByTestId('retry-body').click();
    await expect(body(page)).toBeVisible();
  });

  test('after a visit that opened one, every article opens offline (the sanitizer was kept)', async ({ page, context, watch }) => {
    // A link to an article: the sanitizer is fetched before the service worker is in control.
    await openReader(page, `#/a/${articles[0].id}`);
    await expect(body(page)).toBeVisible();
    await page.evaluate(() => navigator.serviceWorker.ready);
    await context.setOffline(true);
    await openReader(page, `#/a/${articles[1].id}`);
    await expect(body(page)).toBeVisible();
    await expect(page.getByTestId('body-failed')).toHaveCount(0);
  });
});
