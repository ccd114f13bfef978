// The interface in Traditional Chinese, Simplified Chinese and English: chosen from the
// browser's languages, switchable and remembered, with <html lang> following and
// numbers and dates formatted for the language by the browser's Intl.
import { readFileSync } from 'node:fs';
import { articles, expect, openReader, resultCount, test } from './fixtures.mjs';

const catalogue = (lang) =>
  JSON.parse(readFileSync(new URL(`../../static/i18n/${lang}.json`, import.meta.url), 'utf8')).messages;
const fill = (message, values) => message.replace(/\{(\w+)\}/g, (_, name) => values[name]);

for (const [locale, lang] of [
  ['zh-TW', 'zh-Hant'],
  ['zh-HK', 'zh-Hant'],
  ['zh-CN', 'zh-Hans'],
  ['zh', 'zh-Hans'],
  ['en-GB', 'en'],
  ['fr-FR', 'en'],
]) {
  test.describe(`a browser in ${locale}`, () => {
    test.use({ locale });
    test(`shows the interface in ${lang}, numbers and dates formatted for it`, async ({ page }) => {
      const t = catalogue(lang);
      await openReader(page);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByTestId('search')).toHaveAttribute('placeholder', t['search-placeholder']);
      await expect(page.locator('summary')).toContainText(t.filters);
      await expect(page.getByTestId('settings')).toContainText(t.settings);
      await expect(page.getByTestId('clear-filters')).toHaveText(t['clear-all']);
      const expected = await page.evaluate(
        ([lang, count, ts]) => ({
          count: new Intl.NumberFormat(lang).format(count),
          date: new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ts * 1000)),
        }),
        [lang, articles.length, articles[0].ts],
      );
      await expect(resultCount(page)).toHaveText(expected.count);
      await expect(page.getByTestId('row').first().locator('time')).toHaveText(expected.date);
      // An article: its actions, and its language kept on its own text.
      await page.keyboard.press('j');
      await expect(page.getByTestId('back')).toHaveText(t.back);
      await expect(page.getByTestId('article')).toHaveAttribute('lang', articles[0].lang);
      await expect(page.getByTestId('share')).toHaveText(t.share);
      // The help dialog.
      await page.keyboard.press('?');
      await expect(page.getByRole('dialog')).toContainText(t['key-next']);
    });
  });
}

test.describe('a browser in English', () => {
  test.use({ locale: 'en-GB' });
  test('the language chosen in the settings applies at once and is remembered', async ({ page }) => {
    const hant = catalogue('zh-Hant');
    const hans = catalogue('zh-Hans');
    await openReader(page);
    await page.getByTestId('settings').click();
    await page.getByTestId('setting-language').selectOption('zh-Hant');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hant');
    await expect(page.getByTestId('settings-dialog')).toContainText(hant.language);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('search')).toHaveAttribute('placeholder', hant['search-placeholder']);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hant');
    // The first paint, before the wasm, is in the chosen language too.
    await expect(page.locator('#boot-search, #search').first()).toHaveAttribute('placeholder', hant['search-placeholder']);
    await expect(resultCount(page)).toBeVisible();
    await page.getByTestId('settings').click();
    await page.getByTestId('setting-language').selectOption('zh-Hans');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('archive-info')).toContainText(
      fill(hans['archive-info'], { posts: String(articles.length), date: '' }).split(' · ')[0],
    );
  });
});
