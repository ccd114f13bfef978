// The sanitizer is a wasm module of its own (src/bin/sanitizer.rs), loaded when an
// article first needs it: the list and the search never wait for it, an article's body
// shows only once it has passed through it, and when it cannot be had the article says
// so (in words, with a way to try again) and shows none of its body.
import { articles, expect, hostile, openReader, search, test } from './fixtures.mjs';

const SANITIZER_WASM = /\/sanitizer-[0-9a-f]{1,16}_bg\.wasm$/;
const body = (page) => page.locator('.article-body');
/** A new page load of the reader at `hash` (not a change of the fragment in the loaded one). */
async function reopen(page, hash) {
  await page.evaluate((to) => (location.hash = to), hash);
  await page.reload();
  await expect(page.getByTestId('article-title')).toBeVisible();
}

/** The sanitizer's wasm as the page gets it: `refused` while `blocked()`, `fetched` otherwise. */
async function sanitizerTraffic(page) {
  const traffic = { blocked: true, refused: 0, fetched: 0 };
  await page.route(SANITIZER_WASM, (route) => {
    if (traffic.blocked) {
      traffic.refused += 1;
      return route.abort();
    }
    traffic.fetched += 1;
    return route.fallback();
  });
  return traffic;
}

test.describe('when the sanitizer cannot be loaded', () => {
  test.use({ allowedConsoleErrors: [/^Failed to load resource/] });

  test('the list and a search work without it; an article fetches it, once', async ({ page }) => {
    const traffic = await sanitizerTraffic(page);
    await openReader(page);
    await search(page, articles[0].title.slice(0, 2));
    await expect(page.getByTestId('row').first()).toBeVisible();
    // Asked for once the list was complete, and refused.
    await expect.poll(() => traffic.refused).toBeGreaterThan(0);

    traffic.blocked = false;
    await page.getByTestId('row').first().click();
    await expect(body(page)).toBeVisible();
    await expect(body(page)).not.toBeEmpty();
    const first = await page.getByTestId('article-title').textContent();
    await page.getByTestId('next-article').click();
    await expect(page.getByTestId('article-title')).not.toHaveText(first);
    await expect(body(page)).toBeVisible();
    expect(traffic.fetched).toBe(1);
  });

  test('the article says why, shows none of its body, and Try again loads it', async ({ page }) => {
    const traffic = await sanitizerTraffic(page);
    await openReader(page, `#/a/${hostile.id}`);
    const alert = page.getByTestId('body-failed');
    await expect(alert).toHaveAttribute('role', 'alert');
    await expect(alert).toContainText('could not be loaded');
    await expect(body(page)).toHaveCount(0);
    // The rest of the article is there: only its body waits.
    await expect(page.getByTestId('article-title')).toHaveText(hostile.title);

    traffic.blocked = false;
    await page.getByTestId('retry-body').click();
    await expect(body(page)).toBeVisible();
    await expect(page.getByTestId('body-failed')).toHaveCount(0);
    await expect(body(page).locator('script, iframe, svg, [onerror], [onclick]')).toHaveCount(0);
  });
});

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow', allowedConsoleErrors: [/^Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED)/] });

  test('after a visit that opened no article, articles open offline (the sanitizer came once the list was complete)', async ({
    page,
    context,
  }) => {
    await openReader(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => globalThis.newsreaderSanitizer.sanitize('<p>x</p>', false))).toBe('<p>x</p>');
    await context.setOffline(true);
    await reopen(page, `#/a/${articles[1].id}`);
    await expect(body(page)).toBeVisible();
    await expect(page.getByTestId('body-failed')).toHaveCount(0);
  });

  test('after a visit that opened one by a link, every article opens offline', async ({ page, context }) => {
    // A link to an article: the sanitizer is fetched before the service worker is in control.
    await openReader(page, `#/a/${articles[0].id}`);
    await expect(body(page)).toBeVisible();
    await page.evaluate(() => navigator.serviceWorker.ready);
    await context.setOffline(true);
    await reopen(page, `#/a/${articles[1].id}`);
    await expect(body(page)).toBeVisible();
    await expect(page.getByTestId('body-failed')).toHaveCount(0);
  });

  test('without the sanitizer on the device, an article offline says so; online again, Try again shows it', async ({ page, context }) => {
    await openReader(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    // As if the visit had ended before it came (it is kept once it has come).
    await expect.poll(() => page.evaluate(() => globalThis.newsreaderSanitizer.sanitize('<p>x</p>', false))).toBe('<p>x</p>');
    await page.evaluate(async () => {
      const cache = await caches.open('newsreader-app');
      for (const request of await cache.keys()) if (/\/sanitizer-[0-9a-f]+_bg\.wasm$/.test(request.url)) await cache.delete(request);
    });
    // And not in the HTTP cache either, which would answer the worker's fetch offline.
    await (await context.newCDPSession(page)).send('Network.clearBrowserCache');
    await context.setOffline(true);
    // A page opened offline (a reloaded one still says navigator.onLine under Playwright).
    const later = await context.newPage();
    await later.goto(`#/a/${articles[0].id}`);
    await expect(later.getByTestId('body-failed')).toContainText('cannot be shown offline yet');
    await expect(body(later)).toHaveCount(0);
    await expect(later.getByTestId('article-title')).toHaveText(articles[0].title);

    await context.setOffline(false);
    await later.getByTestId('retry-body').click();
    await expect(body(later)).toBeVisible();
  });
});
