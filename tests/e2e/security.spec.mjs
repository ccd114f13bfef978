// The hostile demo post tries ~40 ways to run script. The archive builder sanitizes
// it, and the reader sanitizes again before inserting it; the second half of this
// file serves the raw markup to prove the reader's own pass holds on its own.
import { readdirSync, readFileSync } from 'node:fs';
import { archive, expect, hostile, HOSTILE_TITLE, openReader, rowTitles, test } from './fixtures.mjs';

const LAST_SENTENCE = 'If you can read this sentence as ordinary text, the sanitizer has done its job.';

/** Waits until every image in the page has loaded or failed, so error handlers would have run. */
async function settle(page) {
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** Everything in the article that could run script, load a document or restyle the page. */
function activeMarkup(page) {
  return page.getByTestId('article').evaluate((article) => {
    const found = [];
    const always = 'script, iframe, frame, object, embed, svg, math, form, style, link, meta, base, template, noscript';
    for (const el of article.querySelectorAll(always)) found.push(`<${el.localName}>`);
    // The reader's own controls are buttons and a checkbox; the body may have none.
    for (const el of article.querySelectorAll('.article-body :is(input, textarea, select, button, video, audio, source)')) {
      found.push(`<${el.localName}> in the body`);
    }
    for (const el of [article, ...article.querySelectorAll('*')]) {
      for (const { name, value } of el.attributes) {
        const squashed = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        if (name.startsWith('on')) found.push(`${el.localName}[${name}]`);
        if (name === 'style' || name === 'srcdoc' || name.includes(':')) found.push(`${el.localName}[${name}]`);
        if (/^(javascript|data|vbscript):/.test(squashed)) found.push(`${el.localName}[${name}=${value}]`);
      }
    }
    return found;
  });
}

/**
 * Clicks every link in the article body. Links open in new tabs: each must be an
 * http(s) page (its request is stopped by `watch`), and nothing may run.
 */
async function clickEveryLink(page, watch) {
  const links = await page.locator('.article-body a').all();
  expect(links.length).toBeGreaterThan(0);
  const hrefs = [];
  const popups = [];
  page.context().on('page', (popup) => popups.push(popup));
  const before = page.url();
  for (const link of links) {
    const href = await link.getAttribute('href');
    await expect(link).toHaveAttribute('target', '_blank');
    if (href === null) {
      await link.click();
      continue;
    }
    expect(href).toMatch(/^https?:/);
    await expect(link).toHaveAttribute('rel', /noopener/);
    hrefs.push(href.replace(/#.*/, '')); // a request carries no fragment
    const popup = page.context().waitForEvent('page');
    await link.click();
    await popup;
    await expect.poll(() => watch.offsite.map((r) => r.url)).toContain(hrefs.at(-1));
  }
  await settle(page);
  expect(page.url()).toBe(before);
  // One new tab per link with an address, none for the links the sanitizer emptied.
  expect(popups.length).toBe(hrefs.length);
  // The only requests that tried to leave were the pages those links name.
  expect(watch.takeOffsite().map((r) => `${r.type} ${r.url}`)).toEqual(hrefs.map((h) => `document ${h}`));
  await Promise.all(popups.map((popup) => popup.close()));
}

async function expectHarmless(page) {
  await expect(page.getByTestId('article-title')).toHaveText(HOSTILE_TITLE);
  await expect(page.getByTestId('article')).toContainText(LAST_SENTENCE);
  await settle(page);
  expect(await activeMarkup(page)).toEqual([]);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
}

test.describe('the hostile demo post', () => {
  test('opened by a deep link, it runs nothing and keeps no active markup', async ({ page, watch }) => {
    await page.goto(`#/a/${hostile.id}`);
    await expectHarmless(page);
    await clickEveryLink(page, watch);
    expect(watch.alerts).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  });

  test('opened from the list, it runs nothing either', async ({ page }) => {
    await openReader(page);
    await page.getByTestId('search').fill('hostile markup');
    await expect(rowTitles(page)).toHaveText([HOSTILE_TITLE]);
    await page.getByTestId('row').click();
    await expectHarmless(page);
  });
});

test.describe('an archive that was never sanitized', () => {
  const rawPost = readdirSync(new URL('../../demo/posts/', import.meta.url))
    .map((name) => readFileSync(new URL(`../../demo/posts/${name}`, import.meta.url), 'utf8'))
    .find((text) => text.includes(`title: "${HOSTILE_TITLE}"`));
  const rawBody = rawPost.replace(/^---\n[\s\S]*?\n---\n/, '');

  test.beforeEach(async ({ page }) => {
    const tampered = structuredClone(archive);
    const i = tampered.articles.findIndex((a) => a.id === hostile.id);
    tampered.bodies[i] = rawBody;
    tampered.articles[i].url = 'javascript:window.__pwned=1';
    tampered.articles[i].excerpt = '<img src=x onerror="window.__pwned=1">';
    tampered.articles[i].tags = ['<svg onload="window.__pwned=1">'];
    await page.route('**/archive/archive.json', (route) => route.fulfill({ json: tampered }));
  });

  test('the reader’s own sanitizer makes the raw hostile markup harmless', async ({ page, watch }) => {
    expect(rawBody).toContain('<script>');
    await page.goto(`#/a/${hostile.id}`);
    await expectHarmless(page);
    // Not an http(s) address: no link at all.
    await expect(page.getByTestId('original-link')).toHaveCount(0);
    // Markup in metadata is shown as text.
    await expect(page.getByTestId('article-tag')).toHaveText('#<svg onload="window.__pwned=1">');
    await expect(page.locator('[aria-current=true] .row-excerpt')).toHaveText('<img src=x onerror="window.__pwned=1">');
    await clickEveryLink(page, watch);
  });
});
