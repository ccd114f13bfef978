// The portable edition (docs/portable.md): the reader and the demo posts as a folder
// opened from disk (file://), with no server and no service worker, written by
// `make portable-demo` from the sharded demo archive and from the single-file one. Its
// lists, searches and filters must answer as the oracle says (search-oracle.mjs, from the
// single-file archive in dist/: the same posts), with every file read from the edition's
// own folder and nothing fetched.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  articles,
  bodyOf,
  expect,
  facetCheckbox,
  hostile,
  listing,
  resultCount,
  rowTitles,
  search,
  test,
  untilInteractive,
} from './fixtures.mjs';

const target = fileURLToPath(new URL('../../target/', import.meta.url));
const EDITIONS = [
  { name: 'sharded', dir: `${target}portable-demo/` },
  { name: 'single file', dir: `${target}portable-demo-single/` },
];
const english = JSON.parse(readFileSync(new URL('../../static/i18n/en.json', import.meta.url), 'utf8')).messages;
const traditional = JSON.parse(readFileSync(new URL('../../static/i18n/zh-Hant.json', import.meta.url), 'utf8')).messages;

/** The edition's index of packs: path → [pack, bytes]. */
function membersOf(dir) {
  const text = readFileSync(`${dir}data/index.js`, 'utf8');
  return JSON.parse(text.replace(/^newsreaderPortable\.members\(/, '').replace(/\);\n$/, ''));
}

/** Opens the edition in `dir` from disk at `hash`, and waits for the list. */
async function openEdition(page, dir, hash = '#/') {
  await page.goto(`${pathToFileURL(`${dir}index.html`).href}${hash}`);
  await expect(resultCount(page)).toBeVisible();
  await untilInteractive(page);
}

/** The count, and the first rows' titles, are those of `expected`, in order. */
async function expectListing(page, expected) {
  await expect(resultCount(page)).toHaveText(String(expected.length));
  for (const [i, article] of expected.slice(0, 5).entries()) {
    await expect(rowTitles(page).nth(i)).toHaveText(article.title);
  }
}

// Exact and folded: Simplified queries and their Traditional spellings, phrases, an
// exclusion, a qualifier, Latin letters in another case.
const QUERIES = ['台湾', '臺灣', '国际', '國際', '「立法會」', '"港台"', '過去', '台湾 -国际', 'tag:国际', '"THE PORT"', 'port'];

for (const { name, dir } of EDITIONS) {
  test.describe(`the portable edition, ${name}`, () => {
    test.skip(!existsSync(`${dir}index.html`), `no portable edition in ${dir}: run \`make portable-demo\``);

    test('opens from disk with every post, reads only its own files, and says it needs no connection', async ({ page }) => {
      const requests = [];
      page.on('request', (request) => requests.push(request.url()));
      await openEdition(page, dir);
      await expect(resultCount(page)).toHaveText(String(articles.length));
      await expect(rowTitles(page).first()).toHaveText(articles[0].title);
      const status = page.getByTestId('offline-status');
      await expect(status).toHaveAttribute('data-state', 'portable');
      await expect(status).toHaveText(english['offline-portable']);
      await expect(page.getByTestId('save-offline')).toHaveCount(0);
      // Every request is a file of the folder (no fetch: the CSP allows none, and the
      // watch fails the test on any violation or console error).
      const folder = pathToFileURL(dir).href;
      expect(requests.filter((url) => !url.startsWith(folder))).toEqual([]);
      expect(requests).toContain(`${folder}data/index.js`);
      // No service worker: a file page could not register one (nor list them).
      expect(requests.filter((url) => url.endsWith('/sw.js'))).toEqual([]);
      // Nothing asks a server for updates: no banner, even after the tab is shown again.
      await page.evaluate(() => window.dispatchEvent(new Event('focus')));
      await page.waitForTimeout(300);
      await expect(page.getByTestId('update-banner')).toHaveCount(0);
      await expect(page.getByTestId('app-update')).toHaveCount(0);
    });

    test('searches as the oracle does, exactly and folded', async ({ page }) => {
      await openEdition(page, dir);
      for (const q of QUERIES) {
        const expected = listing({ q });
        expect(expected.length, `the demo has posts for ${q}`).toBeGreaterThan(0);
        await search(page, q);
        await expectListing(page, expected);
      }
      // Both spellings are one search.
      expect(listing({ q: '台湾' })).toEqual(listing({ q: '臺灣' }));
    });

    test('filters, and an article with its remote images held back', async ({ page, watch }) => {
      await openEdition(page, dir);
      const box = await facetCheckbox(page, 'tag', '國際');
      await box.check();
      await expectListing(page, listing({ tag: ['國際'] }));

      const post = articles.find((a) => a !== hostile && /<img\b[^>]*\salt="[^"]+"/.test(bodyOf(a)));
      await page.goto(`${pathToFileURL(`${dir}index.html`).href}#/a/${encodeURIComponent(post.id)}`);
      await expect(page.getByTestId('article-title')).toHaveText(post.title);
      const images = page.getByTestId('article').locator('.article-body img');
      await expect(images.first()).toBeVisible();
      await expect(page.locator('.article-body img[src]')).toHaveCount(0);
      await expect(page.getByTestId('image-bar')).toContainText('remote image');
      expect(watch.offsite).toEqual([]);
    });

    test('another language, and Traditional characters, come from the packs too', async ({ page }) => {
      const hans = articles.find((a) => a.title.startsWith('台风“银鸥”接近冲绳'));
      await page.addInitScript(() => {
        localStorage.setItem('newsreader.lang', 'zh-Hant');
        localStorage.setItem('newsreader.settings', JSON.stringify({ script: 'traditional' }));
      });
      await openEdition(page, dir, `#/a/${encodeURIComponent(hans.id)}`);
      await expect(page.locator('.brand')).toHaveText(traditional.brand);
      await expect(page.getByTestId('offline-status')).toHaveText(traditional['offline-portable']);
      await expect(page.getByTestId('article-title')).toHaveText(/^颱風「?“?銀鷗/);
    });
  });
}

test.describe('a portable edition with a pack missing', () => {
  const [{ dir }] = EDITIONS;
  test.skip(!existsSync(`${dir}index.html`), `no portable edition in ${dir}: run \`make portable-demo\``);
  // The browser reports the file it could not read; the reader says it in words.
  test.use({ allowedConsoleErrors: [/ERR_FILE_NOT_FOUND/] });

  test('says which file it could not read, instead of waiting for ever', async ({ page }) => {
    const copy = mkdtempSync(join(tmpdir(), 'portable-'));
    try {
      cpSync(dir, copy, { recursive: true });
      const members = membersOf(dir);
      // The details file of the newest post's article, in the sharded layout.
      const details = Object.keys(members).filter((path) => path.startsWith('archive/details/'));
      const packs = new Set(details.map((path) => members[path][0]));
      const pack = `data/${String(Math.min(...packs)).padStart(3, '0')}.js`;
      rmSync(join(copy, pack));
      await openEdition(page, `${copy}/`, `#/a/${encodeURIComponent(articles[0].id)}`);
      await expect(page.getByTestId('article-loading')).toContainText(`${pack} could not be read`);
      await expect(page.getByTestId('article-loading')).not.toHaveAttribute('aria-busy', 'true');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
