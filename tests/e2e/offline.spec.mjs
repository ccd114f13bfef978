// The service worker keeps a copy of what the reader fetched, so it also works offline.
import { articles, expect, openReader, resultCount, test } from './fixtures.mjs';

test.use({ serviceWorkers: 'allow' });

async function expectWorksOffline(page, context) {
  await context.setOffline(true);
  await page.reload();
  await expect(resultCount(page)).toHaveText(String(articles.length));
  await page.goto(`#/a/${articles[1].id}`);
  await expect(page.getByTestId('article-title')).toHaveText(articles[1].title);
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
