// make bench: this project against Pagefind (and FlexSearch's memory) on the same posts.
// Usage: node bench/run.mjs [corpus...]   (corpora: demo, news0, corpus, 250k; default corpus 250k)
// Settings come from the environment (the Makefile passes them); see bench/README.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { launch } from './lib/browser.mjs';
import { CORPORA, postsOf } from './lib/corpora.mjs';
import { fieldOurs, fieldPagefind, offlineOurs } from './lib/field.mjs';
import { entriesOf, symlinkRoot } from './lib/files.mjs';
import { writeFlexRoot, measureFlexSearch } from './lib/flexsearch.mjs';
import { appWasm, buildArchive, buildSingle, cliFeatures, measureApp, queryIds } from './lib/ours.mjs';
import { buildPagefind, measurePagefind, writeSite } from './lib/pagefind.mjs';
import { cpuShareOfOthers, GB } from './lib/proc.mjs';
import { measureChurn } from './lib/republish.mjs';
import { compare, rows, table } from './lib/report.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const env = process.env;
const settings = {
  cli: resolve(ROOT, env.NEWSARCHIVE ?? 'target/release-native/newsarchive'),
  dist: resolve(ROOT, env.BENCH_DIST ?? 'dist'),
  shared: resolve(ROOT, env.BENCH_SHARED ?? '../shared'),
  work: resolve(ROOT, env.BENCH_WORK ?? 'target/bench'),
  results: resolve(ROOT, env.BENCH_RESULTS ?? 'bench/results'),
  count: Number(env.BENCH_COUNT ?? 250_000),
  memLimitGb: Number(env.BENCH_MEM_LIMIT_GB ?? 20),
  coldRuns: Number(env.BENCH_COLD_RUNS ?? 3),
  warmRuns: Number(env.BENCH_WARM_RUNS ?? 20),
  // BENCH_PAGEFIND=0 / BENCH_FLEXSEARCH=0 skip those legs (their 250k builds are the
  // slowest parts of the run).
  pagefind: env.BENCH_PAGEFIND !== '0',
  flexsearch: env.BENCH_FLEXSEARCH !== '0',
  // The issue's four CJK queries (two of them Simplified for Traditional text) and three
  // Latin ones that occur in the corpus.
  queries: env.BENCH_QUERIES ? env.BENCH_QUERIES.split(',') : ['立法會', '疫情', '国际', '台湾', 'covid', 'trump', '2020'],
  // Typed on the slow link, one cold page load each (field.mjs).
  fieldQueries: env.BENCH_FIELD_QUERIES ? env.BENCH_FIELD_QUERIES.split(',') : ['立法會', '国际', 'covid'],
  // Rounds of every query offline, after the first.
  offlineRuns: Number(env.BENCH_OFFLINE_RUNS ?? 5),
};
const corpora = process.argv.slice(2).length ? process.argv.slice(2) : ['corpus', '250k'];
for (const name of corpora) if (!CORPORA.includes(name)) throw new Error(`unknown corpus ${name}: use ${CORPORA.join(', ')}`);

const started = performance.now();
const log = (message) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${message}`);

/** Times the legs of one corpus's run, keeping their durations (ms) for the results file. */
function legs(corpus) {
  const durations = {};
  const leg = async (name, work) => {
    const t0 = performance.now();
    log(`${corpus}: ${name}…`);
    const value = await work();
    durations[name] = Math.round(performance.now() - t0);
    return value;
  };
  return { leg, durations };
}

const relativePaths = (s) => Object.fromEntries(['cli', 'dist', 'shared', 'work', 'results'].map((k) => [k, relative(ROOT, s[k])]));

/** `work()`'s value; a failure becomes { failed: message } instead of ending the run. */
async function attempt(name, work) {
  try {
    return await work();
  } catch (error) {
    const message = String(error.message ?? error).split('\n')[0].slice(0, 300);
    log(`  ${name} failed: ${message}`);
    return { failed: message };
  }
}

/** One leg in a fresh Chromium; a failure becomes { failed: message }. */
async function inBrowser(leg, name, measure) {
  const browser = await launch();
  try {
    return await attempt(name, () => leg(name, () => measure(browser)));
  } finally {
    await browser.close().catch(() => {});
  }
}

const chromiumVersion = () => launch().then(async (browser) => [browser.version(), await browser.close()][0]);
const versionOf = (pkg) => JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

async function benchCorpus(name) {
  const work = join(settings.work, name);
  const limits = { limitBytes: settings.memLimitGb * GB };
  const { leg, durations } = legs(name);
  const notes = [];
  // Timings from a busy machine are noisy: say how busy others kept it.
  const othersShare = cpuShareOfOthers();
  const features = await cliFeatures(settings.cli);
  if (!features.query) notes.push('`newsarchive query` is missing: exactness is not measured (ours or Pagefind).');
  const singleOf = async (dirs, out) => (await buildSingle(settings.cli, features, dirs, out)).file;

  const posts = await leg('posts', () =>
    postsOf(name, { root: ROOT, shared: settings.shared, work: settings.work, count: settings.count, cli: settings.cli, singleOf }),
  );
  // Untimed, and first: it reads every post, so that our timed build reads them from the
  // page cache as Pagefind's reads the pages written from them (a corpus unpacked by an
  // earlier run may be read cold: 10.2 s, then 5.1 s with the posts in the page cache).
  let { archive } = await leg('single-layout archive (Pagefind and FlexSearch input)', () =>
    buildSingle(settings.cli, features, posts.dirs, join(work, 'single')),
  );
  const out = join(work, 'archive');
  const build = await leg('our build', () => buildArchive(settings.cli, features, posts.dirs, out, limits));
  log(`  ${build.summary}`);
  const ids = archive.articles.map((a) => a.id);
  const counts = archive.counts;
  // A source that is not every post, so that clicking it changes the list.
  const facetSource = archive.facets.sources.find((s) => s.count < ids.length)?.name;
  const site = join(work, 'pagefind-site');
  if (settings.pagefind) await leg('Pagefind pages', () => writeSite(archive, site));
  const flexRoot = join(work, 'flexsearch');
  const flexDocs = settings.flexsearch && (await leg('FlexSearch documents', () => writeFlexRoot(archive, flexRoot)));
  // Hundreds of MB at 250k, and only the ids are needed from here on: give the memory
  // back before Pagefind's build needs it (gc is there with node --expose-gc, as make runs it).
  archive = null;
  globalThis.gc?.();

  const pagefindBuild = settings.pagefind
    ? await leg('Pagefind build', () => buildPagefind(site, limits))
    : { skipped: true };
  if (pagefindBuild.failed) log(`  Pagefind failed: ${JSON.stringify(pagefindBuild.failed).slice(0, 300)}`);
  else if (pagefindBuild.ms) log(`  Pagefind: ${(pagefindBuild.ms / 1000).toFixed(1)} s`);

  const cliIds = await leg('newsarchive query (engine and oracle)', async () => ({
    ours: await queryIds(settings.cli, features, out, settings.queries),
    oracle: await queryIds(settings.cli, features, out, settings.queries, { oracle: true }),
  }));
  // A republished archive: how much of it a reader's cache does not have.
  const churn = await attempt('churn', () => leg('churn (built without, then with the newest 1%)', () => measureChurn(settings.cli, posts.dirs, join(work, 'churn'))));
  if (!churn.failed) log(`  churn: ${(churn.share * 100).toFixed(2)}% raw, ${(churn.gzipShare * 100).toFixed(2)}% gzip`);

  // Each engine in a browser of its own, so that none inherits another's memory and a
  // crash (FlexSearch's heap at 250k) costs only that engine's rows: the table still prints.
  const common = { queries: settings.queries, coldRuns: settings.coldRuns, warmRuns: settings.warmRuns };
  // The app's files with this corpus's archive as archive/.
  const root = symlinkRoot(join(work, 'serve-ours'), { ...entriesOf(settings.dist, ['archive']), archive: out });
  const app = await inBrowser(leg, 'our app in Chromium', (browser) => measureApp(browser, { ...common, root, facetSource }));
  const field = await inBrowser(leg, 'our app on the slow link', (browser) => fieldOurs(browser, { root, queries: settings.fieldQueries }));
  // A single-layout archive (the demo's) is one file, kept whenever it is open: nothing to save.
  const sharded = JSON.parse(readFileSync(join(out, 'archive.json'), 'utf8')).layout === 'sharded';
  const offline = sharded
    ? await inBrowser(leg, 'our app saved for offline', (browser) =>
        offlineOurs(browser, { root, queries: settings.queries, oracle: cliIds.oracle, rounds: settings.offlineRuns }),
      )
    : { skipped: 'a single-layout archive has nothing to save' };
  const pagefindRan = !(pagefindBuild.failed || pagefindBuild.skipped);
  const pagefindBrowser = pagefindRan ? await inBrowser(leg, 'Pagefind in Chromium', (browser) => measurePagefind(browser, { ...common, site })) : null;
  const pagefindField = pagefindRan ? await inBrowser(leg, 'Pagefind on the slow link', (browser) => fieldPagefind(browser, { site, queries: settings.fieldQueries })) : null;
  const flex = settings.flexsearch
    ? await inBrowser(leg, 'FlexSearch in Chromium', (browser) =>
        measureFlexSearch(browser, { ...common, root: flexRoot, chunks: flexDocs.chunks, posts: ids.length }),
      )
    : { skipped: true };
  if (pagefindBrowser?.failed) notes.push(`Pagefind in Chromium failed: ${pagefindBrowser.failed}`);
  if (pagefindField?.failed) notes.push(`Pagefind on the slow link failed: ${pagefindField.failed}`);
  for (const [what, x] of [['our app', app], ['our app on the slow link', field], ['our app saved for offline', offline], ['the churn builds', churn]]) {
    if (x.failed) notes.push(`${what} failed: ${x.failed}`);
  }
  if (app.memory?.afterPaint?.wasm === null) notes.push('the app does not expose newsreaderMemoryBytes (static/boot.js): wasm memory not counted.');
  const cpuOthers = othersShare();
  if (cpuOthers > 0.1) {
    notes.push(`other processes took ${Math.round(cpuOthers * 100)}% of the machine's CPU during this run: timings are noisy.`);
  }
  if (app.errors?.length) notes.push(`the app logged errors: ${app.errors.slice(0, 3).join(' | ')}`);
  const fieldErrors = [...(field.runs ?? []), ...(field.early ?? [])].flatMap((x) => x.errors ?? []).concat(offline.errors ?? []);
  if (fieldErrors.length) notes.push(`the app logged errors on the slow link or offline: ${[...new Set(fieldErrors)].slice(0, 3).join(' | ')}`);
  if (field.early?.some((x) => x.lost)) notes.push(`typed into the first paint's search box before the app took over, the query was lost: ${field.early.find((x) => x.lost).lost} once the app was up.`);

  const exactness = {};
  for (const q of settings.queries) {
    const oracle = cliIds.oracle?.[q];
    exactness[q] = {
      oracle: oracle?.length ?? null,
      ours: oracle && compare(cliIds.ours[q], oracle),
      pagefind: oracle && pagefindBrowser && compare(pagefindBrowser.ids[q], oracle),
      flexsearch: oracle && flex.results && compare(flex.results[q].positions.map((i) => ids[i]), oracle),
    };
  }
  // Id lists are large and already summarised in `exactness`.
  if (pagefindBrowser) delete pagefindBrowser.ids;
  if (flex.results) for (const q of settings.queries) delete flex.results[q].positions;

  const result = {
    corpus: { name, label: `${posts.label}: ${counts.read.toLocaleString('en-US')} posts read, ${counts.archived.toLocaleString('en-US')} archived`, counts },
    finishedAt: new Date().toISOString(),
    // Paths relative to the checkout, so that results from different machines compare.
    settings: { ...settings, ...relativePaths(settings), cliFeatures: features },
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      memoryBytes: os.totalmem(),
      node: process.version,
      chromium: await chromiumVersion(),
      cpuShareOfOtherProcesses: cpuOthers,
      commit: git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--', 'src', 'Cargo.toml', 'Cargo.lock', 'static') ? ' + uncommitted changes' : ''),
    },
    queries: settings.queries,
    ours: { build, app, field, offline, churn, wasm: appWasm(settings.dist) },
    pagefind: { version: versionOf('pagefind'), build: pagefindBuild, browser: pagefindBrowser, field: pagefindField },
    flexsearchVersion: versionOf('flexsearch'),
    flexsearch: flex,
    exactness,
    durations,
    notes,
  };
  result.rows = rows(result);
  return result;
}

mkdirSync(settings.results, { recursive: true });
const tables = [];
const failing = [];
for (const name of corpora) {
  const result = await benchCorpus(name);
  const text = table(result);
  tables.push(text);
  // Only our rows can FAIL (Pagefind's and FlexSearch's absence makes a row `—`).
  let parent = '';
  for (const row of result.rows) {
    const sub = row.metric.startsWith('  ');
    if (!sub) parent = row.metric;
    if (row.result === 'FAIL') failing.push(`${name}: ${sub ? `${parent} / ${row.metric.trim()}` : row.metric}`);
  }
  writeFileSync(join(settings.results, `${name}.json`), `${JSON.stringify(result, null, 1)}\n`);
  writeFileSync(join(settings.results, `${name}.md`), `${text}\n`);
  log(`${name} done; results in ${join(settings.results, name)}.{json,md}`);
  console.log(`\n${text}\n`);
}
if (tables.length > 1) console.log(`\n${tables.join('\n\n')}\n`);
if (failing.length) {
  log(`done: ${failing.length} of our targets missed or not measured:\n  ${failing.join('\n  ')}`);
  process.exitCode = 1;
} else {
  log('done: every target of ours met');
}
