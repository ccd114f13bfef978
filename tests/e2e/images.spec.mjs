// Remote images tell their host who reads what, so the reader loads them only when asked.
import { articles, bodyOf, expect, hostile, test } from './fixtures.mjs';

const imagesOf = (article) =>
  [...bodyOf(article).matchAll(/<img\b[^>]*>/g)].map(([tag]) => ({
    src: tag.match(/\ssrc="([^"]*)"/)?.[1].replaceAll('&amp;', '&'),
    alt: tag.match(/\salt="([^"]*)"/)?.[1] ?? '',
  }));
const withImages = articles.filter((a) => a !== hostile && imagesOf(a).length > 0 && imagesOf(a).every((i) => i.alt));
const [post, otherPost] = withImages;

test('remote images are not requested until “Load images” is pressed, and then they are', async ({ page, watch }) => {
  const expected = imagesOf(post);
  await page.goto(`#/a/${post.id}`);
  const images = page.getByTestId('article').locator('.article-body img');
  await expect(images).toHaveCount(expected.length);
  for (const [i, { alt }] of expected.entries()) {
    await expect(images.nth(i)).not.toHaveAttribute('src');
    await expect(images.nth(i)).toHaveAttribute('alt', alt);
    await expect(images.nth(i)).toBeVisible(); // the alt text stands in for the picture
  }
  await expect(page.getByTestId('image-bar')).toContainText(`${expected.length} remote image`);
  expect(watch.offsite).toEqual([]);

  // Answer them with a tiny PNG here, so nothing leaves the machine.
  watch.answerRemoteImages = true;
  const requests = [];
  page.on('request', (request) => request.resourceType() === 'image' && requests.push(request));
  await page.getByTestId('load-images').click();
  for (const [i, { src }] of expected.entries()) await expect(images.nth(i)).toHaveAttribute('src', src);
  await expect(page.getByTestId('image-bar')).toContainText('Images are shown');
  await expect.poll(() => images.evaluateAll((imgs) => imgs.every((img) => img.complete && img.naturalWidth === 1))).toBe(true);
  // The same watch that keeps every other test at zero offsite requests saw these.
  expect(watch.takeOffsite()).toEqual(expected.map(({ src }) => ({ url: src, type: 'image' })));
  // And they do not say which page asked for them.
  expect(await Promise.all(requests.map((r) => r.headerValue('referer')))).toEqual(expected.map(() => null));

  // Only for that article: the next one still asks first.
  await page.goto(`#/a/${otherPost.id}`);
  await expect(page.getByTestId('article-title')).toHaveText(otherPost.title);
  await expect(page.locator('.article-body img').first()).not.toHaveAttribute('src');
  expect(watch.takeOffsite()).toEqual([]);
});

test('the hostile post’s tracking pixel is not fetched by default', async ({ page, watch }) => {
  await page.goto(`#/a/${hostile.id}`);
  await expect(page.getByTestId('load-images')).toBeVisible();
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  expect(await page.locator('.article-body img[src]').count()).toBe(0);
  expect(watch.offsite).toEqual([]);
});

test('“Always load images” is remembered across reloads, and can be turned off again', async ({ page, watch }) => {
  watch.answerRemoteImages = true;
  const { src } = imagesOf(post)[0];
  const image = page.locator('.article-body img').first();
  await page.goto(`#/a/${post.id}`);
  await expect(image).not.toHaveAttribute('src');
  await page.getByTestId('images-always').check();
  await expect(image).toHaveAttribute('src', src);
  expect(await page.evaluate(() => localStorage.getItem('newsreader.images-always'))).toBe('true');

  await page.reload();
  await expect(page.getByTestId('article-title')).toHaveText(post.title);
  await expect(image).toHaveAttribute('src', src);
  await expect(page.getByTestId('images-always')).toBeChecked();
  await expect(page.getByTestId('load-images')).toHaveCount(0);

  await page.getByTestId('images-always').uncheck();
  await page.reload();
  await expect(page.getByTestId('article-title')).toHaveText(post.title);
  await expect(page.getByTestId('load-images')).toBeVisible();
  await expect(image).not.toHaveAttribute('src');
  const seen = watch.takeOffsite();
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((r) => r.type !== 'image' || r.url !== src)).toEqual([]);
});
