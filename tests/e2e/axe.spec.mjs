// axe-core on every view a reader meets, in every language, both themes, desktop and
// phone: any violation of any impact fails. `target-size` (WCAG 2.5.8, 24×24 CSS pixels)
// is off in axe by default and turned on here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { articles, expect, openReader, search, test } from './fixtures.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const OPTIONS = { rules: { 'target-size': { enabled: true } }, resultTypes: ['violations'] };

const LANGUAGES = [
  ['zh-TW', 'zh-Hant'],
  ['zh-CN', 'zh-Hans'],
  ['en-GB', 'en'],
];
const SCREENS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};
const cjkPost = articles.find((a) => a.lang.startsWith('zh') && a.tags.length > 0 && a.url);
const term = cjkPost.title.slice(0, 2);

/** The violations on the page as it is, one line per node, for a readable failure. */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate((options) => window.axe.run(document, options), OPTIONS);
  return result.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
  );
}

for (const [locale, lang] of LANGUAGES) {
  for (const [screen, device] of Object.entries(SCREENS)) {
    for (const colorScheme of ['light', 'dark']) {
      test.describe(`${lang}, ${screen}, ${colorScheme}`, () => {
        test.use({ locale, colorScheme, ...device });

        test('axe finds nothing in the list, an article, results, filters, help, settings and the library', async ({ page }) => {
          const found = {};
          await openReader(page);
          await expect(page.locator('html')).toHaveAttribute('lang', lang);
          found.list = await violations(page);

          // Not openReader: on a phone the article hides the list and its count.
          await page.goto(`#/a/${encodeURIComponent(cjkPost.id)}`);
          await expect(page.getByTestId('article-title')).toBeFocused();
          found.article = await violations(page);

          await openReader(page);
          await search(page, term);
          found.results = await violations(page);

          await page.locator('details.filter-panel > summary').click();
          await expect(page.getByTestId('timeline')).toBeVisible();
          found.filters = await violations(page);

          await page.keyboard.press('Escape'); // out of any field
          await page.locator('body').press('?');
          await expect(page.getByRole('dialog')).toBeVisible();
          found.help = await violations(page);
          await page.keyboard.press('Escape');
          await expect(page.getByRole('dialog')).toHaveCount(0);

          await page.getByTestId('settings').click();
          await expect(page.getByTestId('settings-dialog')).toBeVisible();
          found.settings = await violations(page);
          await page.keyboard.press('Escape');

          await page.getByTestId('library-button').click();
          await expect(page.getByTestId('library-dialog')).toBeVisible();
          found.library = await violations(page);

          expect(found).toEqual({ list: [], article: [], results: [], filters: [], help: [], settings: [], library: [] });
        });
      });
    }
  }
}
