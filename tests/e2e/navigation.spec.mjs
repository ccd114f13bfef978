import {
  articles,
  expect,
  facetCheckbox,
  facets,
  listRoute,
  listing,
  openReader,
  resultCount,
  routeOf,
  rowTitles,
  test,
} from './fixtures.mjs';

const middle = articles[Math.floor(articles.length / 2)];
const cjkSource = facets.sources.map((s) => s.name).find((name) => /[^\x00-\x7f]/.test(name));
const withSource = (source) => `?source=${encodeURIComponent(source)}`;

test('a deep link to an article opens it in a fresh page', async ({ page }) => {
  await page.goto(`#/a/${middle.id}`);
  const article = page.getByTestId('article');
  await expect(page.getByTestId('article-title')).toHaveText(middle.title);
  await expect(article).toHaveAttribute('lang', middle.lang);
  await expect(page.getByTestId('article-date')).toHaveAttribute('datetime', middle.date);
  await expect(page.getByTestId('article-source')).toHaveText(middle.source);
  await expect(page.getByTestId('article-tag')).toHaveCount(middle.tags.length);
  await expect(page).toHaveTitle(`${middle.title} · News archive`);
  // The list beside it marks and shows the open article.
  await expect(page.locator('[data-testid=row][aria-current=true] .row-title')).toHaveText(middle.title);
  await expect(page.locator('[data-testid=row][aria-current=true]')).toBeInViewport();
  expect(routeOf(page)).toEqual({ path: `/a/${middle.id}`, params: [] });
});

test('the original link opens the post’s own URL in a new tab without an opener', async ({ page }) => {
  const post = articles.find((a) => a.url?.startsWith('https://'));
  await page.goto(`#/a/${post.id}`);
  const link = page.getByTestId('original-link');
  await expect(link).toHaveAttribute('href', post.url);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  const noUrl = articles.find((a) => !a.url);
  if (noUrl) {
    await page.goto(`#/a/${noUrl.id}`);
    await expect(page.getByTestId('article-title')).toHaveText(noUrl.title);
    await expect(page.getByTestId('original-link')).toHaveCount(0);
  }
});

test('a deep link with a filter restores the filtered list and keeps its URL', async ({ page }) => {
  await openReader(page, `#/${withSource(cjkSource)}`);
  await expect(resultCount(page)).toHaveText(String(listing({ source: [cjkSource] }).length));
  await expect(rowTitles(page).first()).toHaveText(listing({ source: [cjkSource] })[0].title);
  // The panel opens by itself to show which filter is on.
  await expect(page.locator('details.filter-panel')).toHaveJSProperty('open', true);
  await expect(page.getByTestId('facet-source').locator(`input[value=${JSON.stringify(cjkSource)}]`)).toBeChecked();
  expect(routeOf(page)).toEqual(listRoute({ source: cjkSource }));
});

test('a deep link to an article with filters shows both', async ({ page }) => {
  const post = listing({ source: [cjkSource] }).at(-1);
  await page.goto(`#/a/${post.id}${withSource(cjkSource)}`);
  await expect(page.getByTestId('article-title')).toHaveText(post.title);
  await expect(resultCount(page)).toHaveText(String(listing({ source: [cjkSource] }).length));
});

test('a link to an article the archive does not have says so', async ({ page }) => {
  await page.goto('#/a/no-such-article-0000');
  await expect(page.getByTestId('missing-article')).toContainText('no-such-article-0000');
  await expect(resultCount(page)).toHaveText(String(articles.length));
});

test('an article’s tag and source buttons list the posts that share them', async ({ page }) => {
  const post = articles.find((a) => a.tags.length > 0 && listing({ tag: [a.tags.at(-1)] }).length > 1);
  const tag = post.tags.at(-1);
  await page.goto(`#/a/${post.id}`);
  await page.getByTestId('article-tag').filter({ hasText: `#${tag}` }).click();
  await expect(page.getByTestId('article')).toHaveCount(0);
  await expect(resultCount(page)).toHaveText(String(listing({ tag: [tag] }).length));
  expect(routeOf(page)).toEqual(listRoute({ tag }));

  await page.goto(`#/a/${post.id}`);
  await page.getByTestId('article-source').click();
  await expect(resultCount(page)).toHaveText(String(listing({ source: [post.source] }).length));
  expect(routeOf(page)).toEqual(listRoute({ source: post.source }));
});

test('Back and Forward walk through filters and articles', async ({ page }) => {
  const source = facets.sources[0].name;
  const filtered = listing({ source: [source] });
  await openReader(page);
  await (await facetCheckbox(page, 'source', source)).check();
  await expect(resultCount(page)).toHaveText(String(filtered.length));
  await page.getByTestId('row').first().click();
  await expect(page.getByTestId('article-title')).toHaveText(filtered[0].title);
  expect(routeOf(page)).toEqual({ path: `/a/${filtered[0].id}`, params: [['source', source]] });

  await page.goBack();
  await expect(page.getByTestId('article')).toHaveCount(0);
  await expect(resultCount(page)).toHaveText(String(filtered.length));
  await expect(page.getByTestId('facet-source').locator('input:checked')).toHaveCount(1);
  expect(routeOf(page)).toEqual(listRoute({ source }));

  await page.goBack();
  await expect(resultCount(page)).toHaveText(String(articles.length));
  await expect(page.getByTestId('facet-source').locator('input:checked')).toHaveCount(0);

  await page.goForward();
  await expect(resultCount(page)).toHaveText(String(filtered.length));
  await page.goForward();
  await expect(page.getByTestId('article-title')).toHaveText(filtered[0].title);
  await expect(resultCount(page)).toHaveText(String(filtered.length));
});

test('Back and Forward restore the sort order, and the sort menu follows', async ({ page }) => {
  await openReader(page);
  const sort = page.getByTestId('sort');
  await sort.selectOption('oldest');
  await expect(rowTitles(page).first()).toHaveText(articles.at(-1).title);
  await page.goBack();
  await expect(rowTitles(page).first()).toHaveText(articles[0].title);
  await expect(sort).toHaveValue('newest');
  await page.goForward();
  await expect(rowTitles(page).first()).toHaveText(articles.at(-1).title);
  await expect(sort).toHaveValue('oldest');
});
