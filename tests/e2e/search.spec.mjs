// Full-text search (issue 3): titles and text, Traditional and Simplified alike, the query
// syntax, highlighting, and search URLs. Every expectation comes from the archive through
// the brute-force rules of search-oracle.mjs; the queries only name which posts to look at.
import {
  answered,
  articles,
  bodyOf,
  contains,
  expect,
  facetCheckbox,
  facetCountsUnder,
  facets,
  fold,
  hostile,
  listing,
  listRoute,
  openReader,
  parseQuery,
  resultCount,
  routeOf,
  rowTitles,
  search,
  showAllFacetValues,
  shownFacetCounts,
  test,
  textOf,
} from './fixtures.mjs';

/** The count, and the first rows' titles, are those of `expected`, in order. */
async function expectListing(page, expected) {
  await expect(resultCount(page)).toHaveText(String(expected.length));
  if (expected.length <= 9) await expect(rowTitles(page)).toHaveCount(expected.length);
  for (const [i, article] of expected.slice(0, 5).entries()) {
    await expect(rowTitles(page).nth(i)).toHaveText(article.title);
  }
}

/** Posts whose title or text spells one of `forms` exactly as written: no folding at all. */
const spelledAnyOf = (forms) =>
  articles.filter((a) => forms.some((form) => a.title.includes(form) || textOf(bodyOf(a)).includes(form)));
const sameSet = (a, b) => expect(new Set(a.map((x) => x.id))).toEqual(new Set(b.map((x) => x.id)));

// Simplified and Traditional spellings of the same words, with every way the demo posts
// could write them (each character of the pair, mixed).
const PAIRS = [
  { simplified: '台湾', traditional: '臺灣', forms: ['台湾', '台灣', '臺灣', '臺湾'] },
  { simplified: '国际', traditional: '國際', forms: ['国际', '國際', '国際', '國际'] },
  { simplified: '立法会', traditional: '立法會', forms: ['立法会', '立法會'] },
];

test.describe('Traditional and Simplified', () => {
  for (const { simplified, traditional, forms } of PAIRS) {
    test(`“${simplified}” and “${traditional}” find the same posts, written either way`, async ({ page }) => {
      const expected = listing({ q: simplified });
      // The brute-force count over the spellings agrees with the folding rules, and the
      // posts really are written both ways: the pair tests something.
      sameSet(expected, spelledAnyOf(forms));
      expect(listing({ q: traditional })).toEqual(expected);
      const written = (form) => expected.filter((a) => a.title.includes(form) || textOf(bodyOf(a)).includes(form));
      expect(written(simplified).length, `posts that write ${simplified}`).toBeGreaterThan(0);
      expect(expected.length - written(simplified).length, `posts that write it otherwise`).toBeGreaterThan(0);

      await openReader(page);
      await search(page, simplified);
      await expectListing(page, expected);
      await expect(page.getByTestId('sort')).toHaveValue('best');
      await search(page, traditional);
      await expectListing(page, expected);
      expect(routeOf(page)).toEqual(listRoute({ q: traditional }));
    });
  }

  test('a Traditional qualifier value matches its Simplified spelling, and the reverse', async ({ page }) => {
    const tag = facets.tags.map((t) => t.name).find((name) => name === '國際');
    expect(tag, 'the demo archive’s tag 國際').toBeDefined();
    const expected = listing({ tag: [tag] });
    expect(listing({ q: 'tag:国际' })).toEqual(expected);
    await openReader(page);
    await search(page, 'tag:国际');
    await expectListing(page, expected);
    await search(page, 'tag:國際');
    await expectListing(page, expected);
  });
});

test('typing is debounced: the list answers the pause, not each keystroke, and the URL follows in place', async ({ page }) => {
  await openReader(page);
  const historyLength = await page.evaluate(() => history.length);
  // Every search text the count has answered, in order.
  await page.evaluate(() => {
    window.__answered = [];
    new MutationObserver((records) => {
      for (const { target } of records) {
        if (target.dataset.testid === 'result-count') window.__answered.push(target.dataset.query);
      }
    }).observe(document.body, { subtree: true, attributeFilter: ['data-query'] });
  });
  const q = 'harbour';
  await page.getByTestId('search').pressSequentially(q, { delay: 30 });
  await expect(answered(page, q)).toBeVisible();
  await expectListing(page, listing({ q }));
  const seen = await page.evaluate(() => window.__answered.filter((text, i, all) => text !== all[i - 1]));
  expect(seen.at(-1)).toBe(q);
  for (const text of seen) expect(q.startsWith(text), `“${text}” is something typed`).toBe(true);
  // Keystrokes 30 ms apart: one answer, a couple on a machine that stalls, never seven.
  expect(seen.length, `answered ${JSON.stringify(seen)}`).toBeLessThanOrEqual(3);
  expect(routeOf(page)).toEqual(listRoute({ q }));
  expect(await page.evaluate(() => history.length)).toBe(historyLength);
});

test.describe('highlighting', () => {
  test('matches are marked in row titles and in the snippets of posts that have them in the text', async ({ page }) => {
    const q = '台湾';
    const expected = listing({ q });
    await openReader(page);
    await search(page, q);
    await expectListing(page, expected);

    const rows = page.getByTestId('row');
    const shown = await rows.count();
    expect(shown).toBeGreaterThan(0);
    for (let i = 0; i < shown; i++) {
      const post = expected[i];
      const row = rows.nth(i);
      await expect(row.locator('.row-title')).toHaveText(post.title);
      // Every mark is the query as the post writes it, in either script.
      const titleMarks = row.locator('.row-title mark[data-testid=match]');
      if (contains(post, q, 'title')) await expect(titleMarks.first()).toBeVisible();
      else await expect(titleMarks).toHaveCount(0);
      for (const text of await titleMarks.allTextContents()) expect(fold(text)).toBe(fold(q));
      if (contains(post, q, 'text')) {
        const snippetMark = row.locator('.row-excerpt mark[data-testid=match]').first();
        await expect(snippetMark).toBeVisible();
        expect(fold(await snippetMark.textContent())).toBe(fold(q));
      }
    }
    // The page has at least one row of each kind, or this proved less than it says.
    const inView = expected.slice(0, shown);
    expect(inView.some((a) => contains(a, q, 'title'))).toBe(true);
    expect(inView.some((a) => contains(a, q, 'text') && !contains(a, q, 'title'))).toBe(true);
  });

  test('the opened article marks its matches and scrolls to the first one', async ({ page }) => {
    // A word that a long post only uses near its end, so that it starts below the fold.
    const [post, word] = articles
      .filter((a) => a !== hostile)
      .map((a) => {
        const text = fold(textOf(bodyOf(a)));
        const late = (text.match(/\b[a-z]{5,}\b/g) ?? []).find(
          (w) => text.indexOf(w) > text.length * 0.85 && !contains(a, w, 'title') && listing({ q: w }).length <= 5,
        );
        return [a, late, text.length];
      })
      .filter(([, late]) => late)
      .sort((x, y) => y[2] - x[2])[0];
    expect(listing({ q: word })).toContain(post);

    await openReader(page);
    await search(page, word);
    await page.getByTestId('row').filter({ hasText: post.title }).click();
    await expect(page.getByTestId('article-title')).toHaveText(post.title);
    const first = page.locator('.article-body mark[data-testid=match]').first();
    await expect(first).toBeVisible();
    expect(fold(await first.textContent())).toBe(word);
    // The pane scrolled: the mark lies below its first screen, yet it is in view.
    const pane = page.locator('.article-pane');
    await expect.poll(() => pane.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await expect(first).toBeInViewport();
    const [mark, box, offset] = await first.evaluate((m) => {
      const pane = m.closest('.article-pane');
      const [r, p] = [m.getBoundingClientRect(), pane.getBoundingClientRect()];
      return [{ top: r.top, bottom: r.bottom }, { top: p.top, bottom: p.bottom }, r.top - p.top + pane.scrollTop];
    });
    expect(offset, 'the mark’s distance from the top of the article').toBeGreaterThan(box.bottom - box.top);
    expect(mark.top).toBeGreaterThanOrEqual(box.top);
    expect(mark.bottom).toBeLessThanOrEqual(box.bottom);
  });

  test('a Simplified query marks the Traditional words of the opened article', async ({ page }) => {
    const q = '台湾';
    const post = listing({ q }).find((a) => contains(a, q, 'title') && contains(a, q, 'text') && !a.title.includes(q));
    expect(post, 'a post that writes 台灣 or 臺灣 in its title and text').toBeDefined();
    await openReader(page);
    await search(page, q);
    await page.getByTestId('row').filter({ hasText: post.title }).click();
    const titleMarks = page.getByTestId('article-title').locator('mark[data-testid=match]');
    await expect(titleMarks.first()).toBeVisible();
    for (const text of await titleMarks.allTextContents()) {
      expect(text).not.toBe(q);
      expect(fold(text)).toBe(q);
    }
    const bodyMarks = page.locator('.article-body mark[data-testid=match]');
    await expect(bodyMarks.first()).toBeInViewport();
    for (const text of await bodyMarks.allTextContents()) expect(fold(text)).toBe(q);
    // As many marks as times the text says it (no match inside a link or other element here).
    const said = fold(textOf(bodyOf(post))).split(q).length - 1;
    await expect(bodyMarks).toHaveCount(said);
  });
});

test.describe('query syntax with the facet filters', () => {
  /** Checks the list and every facet's counts against the rules, for `filters`. */
  async function expectFiltered(page, filters) {
    await expect(answered(page, filters.q)).toBeVisible();
    await expectListing(page, listing(filters));
    await showAllFacetValues(page);
    for (const facet of ['source', 'category', 'tag']) {
      expect(await shownFacetCounts(page, facet), `${facet} counts`).toEqual(facetCountsUnder(filters, facet));
    }
  }
  /** A case tests the combination only if the panel and the query each leave posts out. */
  function combined(filters) {
    const { q, ...panel } = filters;
    const n = listing(filters).length;
    expect(n, 'results').toBeGreaterThan(0);
    expect(n, 'fewer than the panel alone gives').toBeLessThan(listing(panel).length);
    expect(n, 'fewer than the query alone gives').toBeLessThan(listing({ q }).length);
    return filters;
  }

  test('a phrase is one string, not its words, and it narrows a checked category', async ({ page }) => {
    const phrase = '"more than"';
    expect(listing({ q: phrase }).length).toBeLessThan(listing({ q: 'more than' }).length);
    const filters = combined({ category: ['business'], q: phrase });
    await openReader(page);
    await (await facetCheckbox(page, 'category', 'business')).check();
    await search(page, phrase);
    await expectFiltered(page, filters);
    expect(routeOf(page)).toEqual(listRoute({ category: 'business', q: phrase }));
  });

  test('an excluded word removes posts from a checked category, and facet counts follow', async ({ page }) => {
    const filters = combined({ category: ['business'], q: 'port -harbour' });
    expect(parseQuery(filters.q).exclude).toEqual(['harbour']);
    expect(listing(filters).length).toBeLessThan(listing({ category: ['business'], q: 'port' }).length);
    await openReader(page);
    await search(page, filters.q);
    await (await facetCheckbox(page, 'category', 'business')).check();
    await expectFiltered(page, filters);
  });

  test('a qualifier must hold as well as the panel’s choice in the same facet', async ({ page }) => {
    const [one, two] = ['bbc', 'rss'];
    const filters = { source: [one, two], q: `source:${one} 国际` };
    expect(listing(filters).length).toBeGreaterThan(0);
    // Of the two checked sources, the qualifier keeps one.
    expect(new Set(listing({ ...filters, q: '国际' }).map((a) => a.source))).toEqual(new Set([one, two]));
    expect(new Set(listing(filters).map((a) => a.source))).toEqual(new Set([one]));
    await openReader(page, `#/?source=${one}&source=${two}&q=${encodeURIComponent(filters.q)}`);
    await expectFiltered(page, filters);
  });

  test('qualifiers of two facets and an exclusion combine with a date range', async ({ page }) => {
    const filters = combined({ from: facets.days[1].name, q: 'category:news tag:transport -ferry' });
    expect(listing(filters).length).toBeLessThan(listing({ ...filters, q: 'category:news tag:transport' }).length);
    await openReader(page, `#/?from=${filters.from}&q=${encodeURIComponent(filters.q)}`);
    await expectFiltered(page, filters);
  });
});

test.describe('search URLs', () => {
  test('a search URL shared into a new browser restores the same results, sort and qualifier included', async ({ page, browser }) => {
    const q = 'source:bbc 国际';
    await openReader(page);
    await search(page, q);
    const best = listing({ q });
    expect(best.length).toBeGreaterThan(1);
    // Best match differs from date order here, so the two links say different things.
    expect(best).not.toEqual(listing({ q, sort: 'newest' }));
    await expectListing(page, best);
    const bestURL = page.url();
    await page.getByTestId('sort').selectOption('oldest');
    const oldest = listing({ q, sort: 'oldest' });
    await expectListing(page, oldest);
    const oldestURL = page.url();
    expect(routeOf(page)).toEqual(listRoute({ q, sort: 'oldest' }));

    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'en-GB',
      timezoneId: 'UTC',
      serviceWorkers: 'block',
    });
    const problems = [];
    context.on('page', (p) => {
      p.on('pageerror', (e) => problems.push(String(e)));
      p.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    });
    try {
      const shared = await context.newPage();
      for (const [url, expected, sort] of [[bestURL, best, 'best'], [oldestURL, oldest, 'oldest']]) {
        await shared.goto(url);
        await expect(answered(shared, q)).toBeVisible();
        await expectListing(shared, expected);
        await expect(shared.getByTestId('search')).toHaveValue(q);
        await expect(shared.getByTestId('sort')).toHaveValue(sort);
        // The same rows as the page it came from, in the same order.
        expect(await rowTitles(shared).allTextContents()).toEqual(expected.slice(0, await rowTitles(shared).count()).map((a) => a.title));
      }
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  test('a link to an article with a search opens it marked, beside the same results', async ({ page }) => {
    const q = '"國際"';
    const expected = listing({ q });
    const post = expected.filter((a) => contains(a, '國際', 'text')).at(-1);
    await page.goto(`#/a/${post.id}?q=${encodeURIComponent(q)}`);
    await expect(page.getByTestId('article-title')).toHaveText(post.title);
    await expect(answered(page, q)).toBeVisible();
    await expectListing(page, expected);
    await expect(page.locator('[data-testid=row][aria-current=true] .row-title')).toHaveText(post.title);
    await expect(page.locator('.article-body mark[data-testid=match]').first()).toBeInViewport();
    await expect(page.getByTestId('search')).toHaveValue(q);
  });

  test('Back after a search returns to the list before it', async ({ page }) => {
    await openReader(page);
    await (await facetCheckbox(page, 'source', 'bbc')).check();
    await search(page, '国际');
    await expectListing(page, listing({ source: ['bbc'], q: '国际' }));
    await page.goBack();
    await expect(resultCount(page)).toHaveText(String(articles.length));
    await expect(page.getByTestId('search')).toHaveValue('');
    await page.goForward();
    await expect(answered(page, '国际')).toBeVisible();
    await expectListing(page, listing({ source: ['bbc'], q: '国际' }));
  });
});

test('Latin words and numbers match whole or in part, any case and width', async ({ page }) => {
  await openReader(page);
  for (const q of ['NATO', 'ｎａｔｏ', 'XR-9', '2026', 'covid-19 -flu']) {
    const expected = listing({ q });
    expect(expected.length, q).toBeGreaterThan(0);
    await search(page, q);
    await expectListing(page, expected);
  }
});
