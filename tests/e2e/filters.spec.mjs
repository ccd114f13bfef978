import {
  articles,
  contains,
  dayOf,
  expect,
  facetCheckbox,
  facetCountsUnder,
  facets,
  listRoute,
  listing,
  openFilters,
  openReader,
  resultCount,
  routeOf,
  rowTitles,
  search,
  showAllFacetValues,
  shownFacetCounts,
  test,
} from './fixtures.mjs';

/** The first item that fits, or a clear failure if the archive no longer has one. */
function pick(items, fits, what) {
  const found = items.find(fits);
  if (!found) throw new Error(`the archive has no ${what}`);
  return found;
}

const sourceNames = facets.sources.map((s) => s.name);
const [source, otherSource] = sourceNames;
const category = pick(
  facets.categories.map((c) => c.name),
  (name) => !sourceNames.includes(name) && listing({ category: [name] }).length < articles.length,
  'category that is not also a source name and leaves some posts out',
);
const cjkTag = pick(
  facets.tags.map((t) => t.name),
  (name) => /[^\x00-\x7f]/.test(name) && !sourceNames.includes(name) && listing({ tag: [name] }).length > 1,
  'non-ASCII tag on two or more posts',
);
// A source and a tag whose posts overlap, the tag keeping only some of the source's posts.
const [pairSource, pairTag] = pick(
  sourceNames.flatMap((s) => facets.tags.map((t) => [s, t.name])),
  ([s, t]) => {
    const both = listing({ source: [s], tag: [t] }).length;
    return both > 0 && both < listing({ source: [s] }).length && both < articles.length;
  },
  'source and tag that partly overlap',
);

/** The count, and the first rows' titles, are those of `expected`, in order. */
async function expectListing(page, expected) {
  await expect(resultCount(page)).toHaveText(String(expected.length));
  // At least 9 rows render whatever the pane's height (8 rows of overscan).
  if (expected.length <= 9) await expect(rowTitles(page)).toHaveCount(expected.length);
  for (const [i, article] of expected.slice(0, 5).entries()) {
    await expect(rowTitles(page).nth(i)).toHaveText(article.title);
  }
}

test.beforeEach(async ({ page }) => {
  await openReader(page);
});

test('the filter panel starts closed and opens from its summary', async ({ page }) => {
  await expect(page.locator('details.filter-panel')).toHaveJSProperty('open', false);
  await expect(page.getByTestId('facet-source')).toBeHidden();
  await openFilters(page);
  await expect(page.getByTestId('facet-source')).toBeVisible();
});

test('a long facet shows 12 values, and “Show all” the rest', async ({ page }) => {
  const tags = facets.tags.map((t) => t.name);
  expect(tags.length).toBeGreaterThan(12);
  await openFilters(page);
  const group = page.getByTestId('facet-tag');
  expect(Object.keys(await shownFacetCounts(page, 'tag'))).toEqual(tags.slice(0, 12));
  await group.getByRole('button', { name: `Show all ${tags.length}` }).click();
  expect(Object.keys(await shownFacetCounts(page, 'tag'))).toEqual(tags);
  await group.getByRole('button', { name: 'Show fewer' }).click();
  await expect(group.locator('label.facet-value')).toHaveCount(12);
});

test('checking a source lists only that source’s posts', async ({ page }) => {
  const expected = listing({ source: [source] });
  expect(expected.length).toBeLessThan(articles.length);
  await (await facetCheckbox(page, 'source', source)).check();
  await expectListing(page, expected);
  expect(routeOf(page)).toEqual(listRoute({ source }));
  await expect(page.getByTestId('row').first()).toContainText(source);
});

test('checking a category lists only posts in that category', async ({ page }) => {
  await (await facetCheckbox(page, 'category', category)).check();
  await expectListing(page, listing({ category: [category] }));
  expect(routeOf(page)).toEqual(listRoute({ category }));
});

test('checking a non-ASCII tag lists only posts with that tag', async ({ page }) => {
  await (await facetCheckbox(page, 'tag', cjkTag)).check();
  await expectListing(page, listing({ tag: [cjkTag] }));
  expect(routeOf(page)).toEqual(listRoute({ tag: cjkTag }));
});

test('two sources are alternatives: the list holds the posts of both', async ({ page }) => {
  await (await facetCheckbox(page, 'source', source)).check();
  await (await facetCheckbox(page, 'source', otherSource)).check();
  const expected = listing({ source: [source, otherSource] });
  expect(expected.length).toBe(listing({ source: [source] }).length + listing({ source: [otherSource] }).length);
  await expectListing(page, expected);
});

test('a source and a tag must both hold, and facet counts say what adding a value would give', async ({ page }) => {
  const filters = { source: [pairSource], tag: [pairTag] };
  await (await facetCheckbox(page, 'source', pairSource)).check();
  await (await facetCheckbox(page, 'tag', pairTag)).check();
  await expectListing(page, listing(filters));

  await showAllFacetValues(page);
  for (const facet of ['source', 'category', 'tag']) {
    const expected = facetCountsUnder(filters, facet);
    expect(Object.keys(await shownFacetCounts(page, facet)), `${facet} values`).toEqual(Object.keys(expected));
    expect(await shownFacetCounts(page, facet), `${facet} counts`).toEqual(expected);
  }
});

test.describe('far from the posts’ time zones', () => {
  // A post stamped 00:00+00:00 falls on the previous day here; the filter must still
  // use the post's own calendar day.
  test.use({ timezoneId: 'Pacific/Pago_Pago' });

  test('the date range keeps posts whose own day is inside it, both ends included', async ({ page }) => {
    const days = facets.days.map((d) => d.name);
    const [from, to] = [days[1], days.at(-2)];
    await openFilters(page);
    await page.getByTestId('date-from').fill(from);
    await expectListing(page, listing({ from }));
    await page.getByTestId('date-to').fill(to);
    const expected = listing({ from, to });
    expect(expected.map(dayOf)).toContain(from);
    expect(expected.map(dayOf)).toContain(to);
    await expectListing(page, expected);
    expect(routeOf(page)).toEqual(listRoute({ from, to }));

    const last = days.at(-1);
    await page.getByTestId('date-from').fill(last);
    await page.getByTestId('date-to').fill(last);
    await expectListing(page, listing({ from: last, to: last }));
    await expect(resultCount(page)).toHaveText(String(facets.days.at(-1).count));
  });
});

test('search matches titles and text case-insensitively, in Chinese and in Latin script, without new history entries', async ({ page }) => {
  const historyLength = await page.evaluate(() => history.length);
  for (const q of ['颱風', 'HARBOUR']) {
    const expected = listing({ q });
    expect(expected.length, `posts with “${q}” in the title or text`).toBeGreaterThan(0);
    await search(page, q);
    await expectListing(page, expected);
    expect(routeOf(page)).toEqual(listRoute({ q }));
  }
  // The text counts too: some posts say “harbour” only in their text, and the count above has them.
  const inTextOnly = listing({ q: 'harbour' }).filter((a) => !contains(a, 'harbour', 'title'));
  expect(inTextOnly.length, 'posts with “harbour” in the text but not the title').toBeGreaterThan(0);
  // Typing rewrites the current history entry.
  expect(await page.evaluate(() => history.length)).toBe(historyLength);

  expect(listing({ q: 'no post has this text 1234' })).toEqual([]);
  await search(page, 'no post has this text 1234');
  await expect(resultCount(page)).toHaveText('0');
  await expect(page.getByTestId('no-results')).toBeVisible();
});

test('sorting oldest first puts the archive’s last post on top', async ({ page }) => {
  await page.getByTestId('sort').selectOption('oldest');
  await expectListing(page, listing({ sort: 'oldest' }));
  await expect(rowTitles(page).first()).toHaveText(articles.at(-1).title);
  expect(routeOf(page)).toEqual(listRoute({ sort: 'oldest' }));
});

test('“Clear all” removes every filter and restores the whole archive', async ({ page }) => {
  const clear = page.getByTestId('clear-filters');
  await expect(clear).toBeDisabled();
  await (await facetCheckbox(page, 'source', source)).check();
  await (await facetCheckbox(page, 'tag', pairTag)).check();
  await page.getByTestId('date-from').fill(facets.days[1].name);
  await search(page, 'a');
  await expect(resultCount(page)).toHaveText(
    String(listing({ source: [source], tag: [pairTag], from: facets.days[1].name, q: 'a' }).length),
  );

  await clear.click();
  await expectListing(page, articles);
  await expect(page.getByTestId('search')).toHaveValue('');
  await expect(page.getByTestId('date-from')).toHaveValue('');
  await expect(page.getByTestId('facet-source').locator('input:checked')).toHaveCount(0);
  await expect(page.getByTestId('facet-tag').locator('input:checked')).toHaveCount(0);
  await expect(clear).toBeDisabled();
  expect(routeOf(page)).toEqual(listRoute());
});

// ---- facets that scale, chips, input methods --------------------------------------

test('typing in a facet finds its values folded like search: 台风 finds 颱風', async ({ page }) => {
  await openFilters(page);
  const group = page.getByTestId('facet-tag');
  const find = page.getByTestId('facet-tag-find');
  test.skip((await find.count()) === 0, 'the demo has too few tags to offer a search');
  await find.fill('台风');
  const names = await group.locator('label.facet-value input').evaluateAll((inputs) => inputs.map((i) => i.value));
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(name).toMatch(/颱風|台风|台風/);
  await find.fill('no such tag anywhere');
  await expect(group).toContainText('No value matches');
});

test('values with no post under the other filters wait behind “Show all”', async ({ page }) => {
  await openReader(page, `#/?source=${encodeURIComponent(pairSource)}`);
  await openFilters(page);
  const group = page.getByTestId('facet-tag');
  const zero = Object.entries(facetCountsUnder({ source: [pairSource] }, 'tag')).filter(([, n]) => n === 0).map(([t]) => t);
  expect(zero.length).toBeGreaterThan(0);
  const shown = await shownFacetCounts(page, 'tag');
  for (const name of zero) expect(Object.keys(shown)).not.toContain(name);
  for (const n of Object.values(shown)) expect(n).toBeGreaterThan(0);
  await group.getByRole('button', { name: /^Show all/ }).click();
  const all = await shownFacetCounts(page, 'tag');
  for (const name of zero) expect(all[name]).toBe(0);
});

test('active filters show as chips above the list, each removable', async ({ page }) => {
  await openReader(page, `#/?tag=${encodeURIComponent(pairTag)}&source=${encodeURIComponent(pairSource)}&q=a`);
  const chips = page.getByTestId('chip');
  await expect(chips).toHaveText([`${pairSource} ×`, `${pairTag} ×`, 'Search: a ×']);
  await expect(page.getByTestId('active-filters')).toBeInViewport();
  await chips.filter({ hasText: pairTag }).click();
  expect(routeOf(page).params).toEqual([['source', pairSource], ['q', 'a']]);
  await expect(chips).toHaveCount(2);
});

test('tag= in the URL folds exactly as tag: in the search does', async ({ page }) => {
  const folded = pick(facets.tags.map((t) => t.name), (name) => name.includes('颱風'), 'tag with 颱風');
  const simplified = folded.replace('颱風', '台风');
  await openReader(page, `#/?q=${encodeURIComponent(`tag:${simplified}`)}`);
  const bySearch = await resultCount(page).textContent();
  await openReader(page, `#/?tag=${encodeURIComponent(simplified)}`);
  await expect(resultCount(page)).toHaveText(bySearch);
  expect(Number(bySearch)).toBe(listing({ tag: [folded] }).length);
});

test('no search runs while an input method composes; the committed text is searched', async ({ page }) => {
  const box = page.getByTestId('search');
  await box.focus();
  const count = resultCount(page);
  await box.dispatchEvent('compositionstart', { data: '' });
  // What a pinyin input method puts in the box while composing 台湾.
  for (const text of ['t', 'ta', 'tai', 'tai w', 'tai wan']) {
    await box.evaluate((el, value) => {
      el.value = value;
      el.dispatchEvent(new InputEvent('input', { data: value, inputType: 'insertCompositionText', isComposing: true, bubbles: true }));
    }, text);
  }
  await page.waitForTimeout(500);
  await expect(count).toHaveAttribute('data-query', '');
  expect(routeOf(page)).toEqual(listRoute());
  await box.evaluate((el) => {
    el.value = '台湾';
    el.dispatchEvent(new CompositionEvent('compositionend', { data: '台湾', bubbles: true }));
  });
  await expect(page.locator('[data-testid=result-count][data-query="台湾"]:not([aria-busy])')).toBeVisible();
  await expect(count).toHaveText(String(listing({ q: '台湾' }).length));
});
