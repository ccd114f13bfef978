// The timeline: posts per year, month and day under the filters (all but the dates),
// zooming in on a click, a range chosen by clicking or dragging that lists what the
// oracle lists for those dates; and date inputs that say what is wrong with them.
import { articles, dayOf, expect, listing, openFilters, openReader, resultCount, routeOf, test } from './fixtures.mjs';

const bars = (page) => page.getByTestId('timeline-bar');
const countsOf = (page) =>
  bars(page).evaluateAll((els) => els.map((b) => ({ first: b.dataset.first, last: b.dataset.last, count: Number(b.dataset.count) })));
/** The oracle's count per bin. */
const expectedCount = (filters, bin) => listing({ ...filters, from: bin.first, to: bin.last }).length;

test('the years add up to the list, and each bar counts what its dates list', async ({ page }) => {
  await openReader(page);
  await openFilters(page);
  const years = await countsOf(page);
  expect(years.length).toBeGreaterThan(1);
  expect(years.reduce((n, b) => n + b.count, 0)).toBe(articles.length);
  for (const bin of years) expect(bin.count, bin.first).toBe(expectedCount({}, bin));
});

test('clicking a year chooses it and shows its months; a month, its days', async ({ page }) => {
  await openReader(page);
  await openFilters(page);
  const year = (await countsOf(page)).find((b) => b.count > 0);
  await page.locator(`[data-testid=timeline-bar][data-first="${year.first}"]`).click();
  expect(Object.fromEntries(routeOf(page).params)).toEqual({ from: year.first, to: year.last });
  await expect(resultCount(page)).toHaveText(String(expectedCount({}, year)));
  const months = await countsOf(page);
  expect(months).toHaveLength(12);
  for (const bin of months) expect(bin.count, bin.first).toBe(expectedCount({}, bin));
  // The months are counted among all dates, not only the year chosen: the same.
  const month = months.find((b) => b.count > 0);
  await page.locator(`[data-testid=timeline-bar][data-first="${month.first}"]`).click();
  await expect(resultCount(page)).toHaveText(String(expectedCount({}, month)));
  const days = await countsOf(page);
  expect(days.length).toBeGreaterThanOrEqual(28);
  expect(days.reduce((n, b) => n + b.count, 0)).toBe(month.count);
  await page.getByTestId('timeline-zoom-out').click();
  await expect(bars(page)).toHaveCount(12);
  await page.getByTestId('timeline-clear').click();
  await expect(resultCount(page)).toHaveText(String(articles.length));
});

test('dragging across months chooses the range between them, in either direction', async ({ page }) => {
  const busiest = articles.map((a) => dayOf(a).slice(0, 4)).sort().at(-1);
  await openReader(page, `#/?from=${busiest}-01-01&to=${busiest}-12-31`);
  await openFilters(page);
  const months = await countsOf(page);
  const used = months.map((b, i) => [b, i]).filter(([b]) => b.count > 0);
  const [[first, a], [last, b]] = [used[0], used.at(-1)];
  await page.getByTestId('timeline').scrollIntoViewIfNeeded();
  const box = async (i) => bars(page).nth(i).boundingBox();
  const [from, to] = [await box(b), await box(a)];
  // Right to left.
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, from.y + from.height / 2, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 4 });
  await page.mouse.up();
  const range = { first: first.first, last: last.last };
  // The page opened on the whole year: wait for the route the drag chose.
  await expect.poll(() => Object.fromEntries(routeOf(page).params)).toEqual({ from: range.first, to: range.last });
  await expect(resultCount(page)).toHaveText(String(expectedCount({}, range)));
});

test('a range chosen works with the other filters, and the bars count under them', async ({ page }) => {
  const source = articles[0].source;
  await openReader(page, `#/?source=${encodeURIComponent(source)}`);
  await openFilters(page);
  const years = await countsOf(page);
  expect(years.reduce((n, b) => n + b.count, 0)).toBe(listing({ source: [source] }).length);
  for (const bin of years) expect(bin.count).toBe(expectedCount({ source: [source] }, bin));
});

test('keyboard: Enter on a bar chooses it, Shift-Enter on another extends to it', async ({ page }) => {
  await openReader(page);
  await openFilters(page);
  const years = await countsOf(page);
  test.skip(years.length < 2, 'the demo spans one year');
  await bars(page).nth(0).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => Object.fromEntries(routeOf(page).params).from).toBe(years[0].first);
  // Zoomed into the year's months now: go back out and extend to the last year.
  await page.getByTestId('timeline-zoom-out').click();
  await bars(page).nth(years.length - 1).focus();
  await page.keyboard.press('Shift+Enter');
  await expect.poll(() => Object.fromEntries(routeOf(page).params)).toEqual({ from: years[0].first, to: years.at(-1).last });
  await expect(resultCount(page)).toHaveText(String(articles.length));
});

test('date inputs carry the archive’s bounds', async ({ page }) => {
  const days = articles.map(dayOf).sort();
  await openReader(page);
  await openFilters(page);
  for (const id of ['date-from', 'date-to']) {
    await expect(page.getByTestId(id)).toHaveAttribute('min', days[0]);
    await expect(page.getByTestId(id)).toHaveAttribute('max', days.at(-1));
  }
});

test('a reversed range is read the right way round, and says so', async ({ page }) => {
  const days = articles.map(dayOf).sort();
  const [low, high] = [days[3], days.at(-4)];
  await openReader(page, `#/?from=${high}&to=${low}`);
  await expect(resultCount(page)).toHaveText(String(listing({ from: low, to: high }).length));
  await expect(page.getByTestId('date-problem')).toContainText('The range ended before it started');
});

test('a malformed date is left out, and says so; a range with no post says what the archive holds', async ({ page }) => {
  await openReader(page, '#/?from=yesterday');
  await expect(resultCount(page)).toHaveText(String(articles.length));
  await expect(page.getByTestId('date-problem')).toContainText('“yesterday” is not a date');
  await openReader(page, '#/?from=2026-02-30');
  await expect(page.getByTestId('date-problem')).toContainText('is not a day of the calendar');
  await openReader(page, '#/?from=1990-01-01&to=1990-12-31');
  await expect(resultCount(page)).toHaveText('0');
  await expect(page.getByTestId('date-problem')).toContainText(/the archive.s posts are from/);
});
