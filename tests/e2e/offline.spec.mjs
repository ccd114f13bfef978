// The service worker keeps a copy of what the reader fetched, so it also works offline.
import { articles, expect, openReader, resultCount, test } from './fixtures.mjs';

test.use({ serviceWorkers: 'allow' });

/**
 * The sanitizer module comes once the page has been left alone for a few seconds
 * (static/boot.js); a visit that ends sooner shows no article body offline, and says why
 * (sanitizer.spec.mjs). These visits last that long.
 */
async function untilSanitizerKept(page) {
  const kept = () =>
    page.evaluate(async () =>
      (await (await caches.open('newsreader-app')).keys()).some((r) => /\/sanitizer-[0-9a-f]+_bg\.wasm$/.test(r.url)),
    );
  await expect.poll(kept, { timeout: 15_000 }).toBe(true);
}

async function expectWorksOffline(page, context) {
  await untilSanitizerKept(page);
  await context.setOffline(true);
  await page.reload();
  await expect(resultCount(page)).toHaveText(String(articles.length));
  await page.goto(`#/a/${articles[1].id}`);
  await expect(page.getByTestId('article-title')).toHaveText(articles[1].title);
  await expect(page.locator('.article-body')).not.toBeEmpty();
  await expect(page.getByTestId('body-failed')).toHaveCount(0);
}

test('once the service worker is in control, a loaded reader keeps working offline', async ({ page, context }) => {
  await openReader(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload(); // this load goes through the worker, which keeps a copy
  await expect(resultCount(page)).toHaveText(String(articles.length));
  await expectWorksOffline(page, context);
});

test('after a single visit the reader works offline, as its error screen promises', async ({ page, context }) => {
  await openReader(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expectWorksOffline(page, context);
});
