// An archive republished with a day's news: the same posts built twice, without and
// with the newest 1%, and how much of the second build is new to a reader who has the
// first (churn.mjs). Both builds read one folder of symlinks at one path, because the
// ids of posts without a `from:` URL come from the path the CLI was given.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { churn } from './churn.mjs';
import { freshDir } from './files.mjs';
import { run } from './proc.mjs';

const POST = new Set(['.md', '.markdown', '.html', '.htm', '.txt']);
// A fixed build time, so that the two builds differ only by their posts.
const SOURCE_DATE_EPOCH = '1764115200';

/** Every file the CLI would read as a post under `dir` (hidden names skipped), as paths relative to it. */
function postFiles(dir) {
  const found = [];
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (POST.has(extname(entry.name).toLowerCase())) found.push(relative(dir, full));
    }
  };
  walk(dir);
  return found;
}

const head = Buffer.alloc(4096);
/** The start of a file, enough for its front matter's `date:` line. */
function startOf(file) {
  const fd = openSync(file, 'r');
  try {
    return head.toString('utf8', 0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}

const DATE = /(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?/;

/**
 * A post's date in ms since 1970: its front matter's `date:` line, else the YYYY-MM-DD
 * that starts its file name, else -Infinity (the oldest). No zone means UTC.
 */
export function postDate(file) {
  const text = startOf(file);
  const end = text.indexOf('\n---', 3);
  const front = text.startsWith('---') ? text.slice(3, end < 0 ? undefined : end) : '';
  const line = /^date:\s*["']?(.+)$/m.exec(front)?.[1];
  const m = DATE.exec(line ?? '') ?? /^(\d{4})-(\d{2})-(\d{2})/.exec(file.split('/').at(-1));
  if (!m) return -Infinity;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone = 'Z'] = m;
  const offset = zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(ms) ? -Infinity : ms;
}

/**
 * Builds `dirs` twice into `work` (A without the newest `share` of the posts by date,
 * then B with all of them) and compares B with A, raw and as gzipped by the host:
 * `{ posts, added, newestA, buildMs: [a, b], ...churn(A, B, { gzip: true }), incremental }`.
 * Both are clean builds (`--no-cache`). `incremental` is the build cache's rebuild after
 * the newest `incrementalPosts` posts are added (built without them first, untimed),
 * checked to be B byte for byte.
 */
export async function measureChurn(cli, dirs, work, { share = 0.01, incrementalPosts = 100 } = {}) {
  const posts = freshDir(join(work, 'posts'));
  const files = dirs.flatMap((dir, i) =>
    postFiles(dir).map((rel) => ({ target: resolve(dir, rel), link: join(posts, String(i), rel) })),
  );
  for (const f of files) f.date = postDate(f.target);
  // Newest first; equal dates in path order, so that the cut is the same every run.
  files.sort((a, b) => b.date - a.date || (a.link < b.link ? -1 : 1));
  const added = Math.ceil(files.length * share);
  const link = ({ target, link }) => {
    if (!existsSync(dirname(link))) mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link);
  };
  const env = { ...process.env, SOURCE_DATE_EPOCH };
  const help = (await run(cli, ['build', '--help'], { quiet: true })).stdout;
  const cache = help.includes('--no-cache');
  const build = async (out) => {
    const t0 = performance.now();
    await run(cli, ['build', posts, '-o', freshDir(out), '--layout', 'auto', ...(cache ? ['--no-cache'] : [])], { env, quiet: true });
    return Math.round(performance.now() - t0);
  };
  files.slice(added).forEach(link);
  const a = join(work, 'a');
  const msA = await build(a);
  files.slice(0, added).forEach(link);
  const b = join(work, 'b');
  const msB = await build(b);
  const newestA = files[added]?.date;
  const incremental = cache ? await rebuildWithCache(cli, posts, files.slice(0, incrementalPosts), join(work, 'incremental'), b, env) : null;
  return {
    posts: files.length,
    added,
    newestA: Number.isFinite(newestA) ? new Date(newestA).toISOString() : null,
    buildMs: [msA, msB],
    ...churn(a, b, { gzip: true }),
    incremental,
  };
}

/**
 * The posts folder without `newest` built with a fresh cache (untimed), then with them
 * (timed): `{ added, ms, filesRead, identical }`, `identical` when its manifest and
 * diagnostics are `clean`'s (the manifest names every other file by its hash).
 */
async function rebuildWithCache(cli, posts, newest, out, clean, env) {
  const cacheFile = `${out}.newsarchive-cache`;
  rmSync(cacheFile, { force: true });
  freshDir(out);
  const build = () => run(cli, ['build', posts, '-o', out, '--layout', 'auto', '--cache', cacheFile], { env, quiet: true });
  for (const { link } of newest) unlinkSync(link);
  await build();
  for (const { target, link } of newest) symlinkSync(target, link);
  const t0 = performance.now();
  const result = await build();
  const ms = Math.round(performance.now() - t0);
  const filesRead = Number(/(\d+) files read/.exec(result.stdout)?.[1]);
  const same = (name) => readFileSync(join(out, name)).equals(readFileSync(join(clean, name)));
  return { added: newest.length, ms, filesRead, identical: same('archive.json') && same('diagnostics.json') };
}
