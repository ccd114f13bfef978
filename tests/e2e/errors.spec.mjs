// What the reader says when its archive is missing or broken: a specific headline and
// detail, never a blank page or an endless progress bar.
import { archive, archiveBytes, articles, expect, resultCount, test } from './fixtures.mjs';

const ARCHIVE = '**/archive/archive.json';
// The same posts as format version 1 wrote them: no `layout`, articles and bodies side by side.
const { layout, ...v1Fields } = archive;
const v1Archive = { ...v1Fields, format_version: 1 };
// The browser logs failed fetches (404, 500, refused) itself.
test.use({ allowedConsoleErrors: [/^Failed to load resource/] });

const cases = [
  {
    name: 'a missing archive (404)',
    answer: { status: 404, contentType: 'text/plain', body: 'not found' },
    headline: /no archive/i,
    detail: ['archive/archive.json', '404'],
  },
  {
    name: 'a server error (500)',
    answer: { status: 500, contentType: 'text/plain', body: 'oops' },
    headline: /could not be loaded/i,
    detail: ['500'],
  },
  {
    name: 'an HTML page instead of JSON',
    answer: { status: 200, contentType: 'text/html', body: '<!doctype html><title>Sign in</title><p>Please sign in.</p>' },
    headline: /not an archive/i,
    detail: ['not valid JSON', 'line 1'],
  },
  {
    name: 'an archive cut off halfway',
    answer: { status: 200, contentType: 'application/json', body: archiveBytes.subarray(0, archiveBytes.length >> 1) },
    headline: /incomplete/i,
    detail: ['ends early'],
  },
  {
    name: 'an archive of an unknown format version',
    answer: { status: 200, json: { ...archive, format_version: 99 } },
    headline: /do not match/i,
    detail: ['version 99', `version ${archive.format_version}`],
  },
  {
    name: 'an archive of the previous format (version 1)',
    answer: { status: 200, json: v1Archive },
    headline: /do not match/i,
    detail: ['version 1', `version ${archive.format_version}`],
  },
  {
    name: 'an archive with a body missing',
    answer: { status: 200, json: { ...archive, bodies: archive.bodies.slice(1) } },
    headline: /damaged/i,
    detail: [`${articles.length} articles but ${articles.length - 1} bodies`],
  },
];

for (const { name, answer, headline, detail } of cases) {
  test(`${name} gets an error screen that says what is wrong`, async ({ page }) => {
    await page.route(ARCHIVE, (route) => route.fulfill(answer));
    await page.goto('/');
    const error = page.getByRole('alert');
    await expect(error).toHaveAttribute('data-testid', 'error');
    await expect(error.getByRole('heading', { level: 1 })).toHaveText(headline);
    // A sentence, starting with a capital letter.
    await expect(error.getByTestId('error-detail')).toHaveText(/^[A-Z].*\.$/s);
    for (const text of detail) await expect(error.getByTestId('error-detail')).toContainText(text);
    await expect(page.getByTestId('loading')).toHaveCount(0);
    await expect(resultCount(page)).toHaveCount(0);
  });
}

test('a failed download gets an error screen, and “Try again” loads the archive once it is back', async ({ page }) => {
  await page.route(ARCHIVE, (route) => route.abort('connectionrefused'));
  await page.goto('/');
  await expect(page.getByTestId('error').getByRole('heading')).toHaveText(/could not be downloaded/i);
  await page.unroute(ARCHIVE);
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(resultCount(page)).toHaveText(String(articles.length));
});
