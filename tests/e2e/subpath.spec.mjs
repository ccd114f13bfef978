// The same build published under a sub-path, as a GitHub Pages project site is.
import {
  articles,
  expect,
  MIRROR_PREFIX,
  mirrorURL,
  openReader,
  resultCount,
  rowTitles,
  search,
  test,
} from './fixtures.mjs';

/** Records "<status> <path>" of every response the page gets. */
function recordResponses(page) {
  const responses = [];
  page.on('response', (r) => responses.push(`${r.status()} ${new URL(r.url()).pathname}`));
  return responses;
}

test('under /mirror/news/ the app and its archive load from that folder', async ({ page }) => {
  const responses = recordResponses(page);
  await openReader(page, '', mirrorURL);
  await expect(resultCount(page)).toHaveText(String(articles.length));
  const post = articles.at(-1);
  await search(page, post.title);
  // Its own title is the best match for it.
  await expect(rowTitles(page).first()).toHaveText(post.title);
  await page.getByTestId('row').first().click();
  await expect(page.getByTestId('article-title')).toHaveText(post.title);
  expect(page.url()).toMatch(`${mirrorURL}#/a/${post.id}?q=`);

  expect(responses).toContain(`200 ${MIRROR_PREFIX}archive/archive.json`);
  expect(responses.filter((r) => !r.startsWith(`200 ${MIRROR_PREFIX}`))).toEqual([]);
});

test('under /mirror/news/ a deep link opens its article in a fresh page', async ({ page }) => {
  const responses = recordResponses(page);
  const post = articles[1];
  await page.goto(`${mirrorURL}#/a/${post.id}`);
  await expect(page.getByTestId('article-title')).toHaveText(post.title);
  await expect(resultCount(page)).toHaveText(String(articles.length));
  expect(responses.filter((r) => !r.startsWith(`200 ${MIRROR_PREFIX}`))).toEqual([]);
});
