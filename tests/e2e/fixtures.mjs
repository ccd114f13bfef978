// Shared fixtures and helpers. Every test gets `watch`, which fails the test if the
// page requested anything outside 127.0.0.1 (or file: URLs, for a page opened from disk),
// logged an error, broke the CSP, ran an alert or set window.__pwned. Expected values
// come from the archive itself, through a small independent implementation of the
// reader's filter and search rules (`listing`, search-oracle.mjs).
import { readFileSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { searchRules } from './search-oracle.mjs';

export { expect };
export { MIRROR_PREFIX, mirrorURL } from './servers.mjs';

export const archiveBytes = readFileSync(new URL('../../dist/archive/archive.json', import.meta.url));
export const archive = JSON.parse(archiveBytes.toString('utf8'));
export const { articles, facets } = archive;
export const bodyOf = (article) => archive.bodies[articles.indexOf(article)];
export const HOSTILE_TITLE = 'Security test: hostile markup renders harmlessly';
export const hostile = articles.find((a) => a.title === HOSTILE_TITLE);

// A 1x1 transparent PNG, answered in place of every remote image a test allows.
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export const test = base.extend({
  /** Console errors a test expects (e.g. the 404 of a missing archive). */
  allowedConsoleErrors: [[], { option: true }],

  watch: [
    async ({ context, page, allowedConsoleErrors }, use) => {
      const watch = {
        /** Requests to hosts other than 127.0.0.1: all aborted, or answered locally when allowed. */
        offsite: [],
        /** When true, offsite image requests get a tiny PNG instead of being aborted. */
        answerRemoteImages: false,
        consoleErrors: [],
        pageErrors: [],
        cspViolations: [],
        alerts: [],
        dialogs: [],
        /** Returns the offsite requests seen so far and forgets them. */
        takeOffsite() {
          return watch.offsite.splice(0);
        },
      };

      await context.route('**/*', (route) => {
        const request = route.request();
        const url = new URL(request.url());
        // A portable edition's files (portable.spec.mjs) are read from disk: local too.
        if (url.hostname === '127.0.0.1' || url.protocol === 'file:') return route.fallback();
        watch.offsite.push({ url: request.url(), type: request.resourceType() });
        if (watch.answerRemoteImages && request.resourceType() === 'image') {
          return route.fulfill({ status: 200, contentType: 'image/png', body: PNG });
        }
        return route.abort('blockedbyclient');
      });
      await context.exposeBinding('__e2eReport', ({ page: from }, kind, detail) => {
        (kind === 'alert' ? watch.alerts : watch.cspViolations).push({ page: from?.url(), detail });
      });
      await context.addInitScript(() => {
        const report = window.__e2eReport;
        window.alert = (message) => report('alert', String(message));
        document.addEventListener('securitypolicyviolation', (e) =>
          report('csp', `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile}:${e.lineNumber}`),
        );
      });
      context.on('dialog', (dialog) => {
        watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        dialog.dismiss().catch(() => {});
      });
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        if (!allowedConsoleErrors.some((pattern) => pattern.test(text))) watch.consoleErrors.push(text);
      });
      page.on('pageerror', (error) => watch.pageErrors.push(String(error)));

      await use(watch);

      const pwned = page.isClosed() ? undefined : await page.evaluate(() => window.__pwned).catch(() => undefined);
      expect.soft(pwned, 'window.__pwned').toBeUndefined();
      expect.soft(watch.offsite, 'requests that would have left 127.0.0.1').toEqual([]);
      expect.soft(watch.consoleErrors, 'console errors').toEqual([]);
      expect.soft(watch.pageErrors, 'uncaught exceptions').toEqual([]);
      expect.soft(watch.cspViolations, 'securitypolicyviolation events').toEqual([]);
      expect.soft(watch.alerts, 'alert() calls').toEqual([]);
      expect.soft(watch.dialogs, 'dialogs').toEqual([]);
    },
    { auto: true },
  ],
});

// ---- the page ---------------------------------------------------------------------

/** Opens the reader at `hash` (relative to baseURL unless `base` is given) and waits for the list. */
export async function openReader(page, hash = '#/', base = '') {
  await page.goto(`${base}${hash}`);
  await expect(page.getByTestId('result-count')).toBeVisible();
  await untilInteractive(page);
}

/**
 * Waits for the effects that follow the list's first paint, where the app attaches its
 * keyboard shortcuts: the same pass sizes the virtual list's spacers.
 */
export async function untilInteractive(page) {
  await expect(page.locator('.list > .spacer').last()).toHaveAttribute('style', /height/);
}

export const resultCount = (page) => page.getByTestId('result-count');
export const rowTitles = (page) => page.getByTestId('row').locator('.row-title');

/** A CSS string literal. */
const cssString = (text) => JSON.stringify(text);

/**
 * The result count once it answers the search text `q` and waits for no index bucket:
 * typing is debounced, so counts and rows are only read through this after a search.
 */
export const answered = (page, q) =>
  page.locator(`[data-testid=result-count][data-query=${cssString(q)}]:not([aria-busy])`);

/** Types `q` into the search box (replacing its text) and waits until the list answers it. */
export async function search(page, q) {
  await page.getByTestId('search').fill(q);
  await expect(answered(page, q)).toBeVisible();
}

/** The page's route, decoded: { path: '/' or '/a/<id>', params: [[key, value], …] }. */
export function routeOf(page) {
  const [path, query = ''] = new URL(page.url()).hash.replace(/^#/, '').split('?');
  return { path: decodeURIComponent(path), params: [...new URLSearchParams(query)] };
}
export const listRoute = (params = {}) => ({ path: '/', params: Object.entries(params) });

export async function openFilters(page) {
  const panel = page.locator('details.filter-panel');
  if (!(await panel.evaluate((details) => details.open))) await panel.locator('summary').click();
  await expect(panel).toHaveJSProperty('open', true);
}

/** The checkbox of one facet value, pressing "Show all" if it is hidden behind it. */
export async function facetCheckbox(page, facet, name) {
  await openFilters(page);
  const group = page.getByTestId(`facet-${facet}`);
  const box = group.locator(`input[type=checkbox][value=${JSON.stringify(name)}]`);
  if ((await box.count()) === 0) await group.getByRole('button', { name: /^Show all/ }).click();
  return box;
}

/** Presses every facet's "Show all": each press turns its button into "Show fewer". */
export async function showAllFacetValues(page) {
  const showAll = page.locator('.facet').getByRole('button', { name: /^Show all/ });
  while ((await showAll.count()) > 0) await showAll.first().click();
}

/** The facet values the page shows, with their counts: { name: count }. */
export async function shownFacetCounts(page, facet) {
  return page.getByTestId(`facet-${facet}`).locator('label.facet-value').evaluateAll((labels) =>
    Object.fromEntries(labels.map((l) => [l.querySelector('input').value, Number(l.querySelector('.n').textContent)])),
  );
}

// ---- what the page should show ----------------------------------------------------

export { dayOf, fold, parseQuery, textOf } from './search-oracle.mjs';

/**
 * `listing(filters, except)`: articles that pass `filters` ({ source: [], category: [],
 * tag: [], from, to, q, sort }), in display order; `facetCountsUnder(filters, facet)`:
 * the count the reader should show next to each value of `facet`. See search-oracle.mjs.
 */
export const { listing, facetCountsUnder, contains } = searchRules(articles, archive.bodies, facets);
