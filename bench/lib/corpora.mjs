// The inputs: which folders of posts each corpus is, unpacked or generated on demand.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freshDir, isDone, markDone } from './files.mjs';
import { run } from './proc.mjs';

/**
 * demo:   the project's own 44 demo posts (a smoke test of the bench itself)
 * news0:  news0 only, the posts the issue measured Pagefind on
 * corpus: all of ../shared/corpus (seed + news0 + news1), 27.7k posts
 * 250k:   generated from the corpus by `newsarchive generate` (count from BENCH_COUNT)
 */
export const CORPORA = ['demo', 'news0', 'corpus', '250k'];

/** The tarballs are unpacked once into `work/unpacked` and reused by later runs. */
async function unpack(shared, work, name) {
  const dir = join(work, 'unpacked', name);
  if (!isDone(dir)) {
    const tarball = join(shared, 'corpus', `${name}.tar.gz`);
    if (!existsSync(tarball)) throw new Error(`${tarball} is missing: the corpora live in ../shared (set BENCH_SHARED)`);
    await run('tar', ['-xzf', tarball, '-C', freshDir(dir)]);
    markDone(dir, tarball);
  }
  return join(dir, name);
}

/**
 * The post folders of `name`. `singleOf(posts, dir)` builds the single-layout archive of
 * some posts (the generator's input); the generated posts are rewritten every run
 * because the generator is part of the code under test.
 */
export async function postsOf(name, { root, shared, work, count, cli, singleOf }) {
  switch (name) {
    case 'demo':
      return { label: 'demo posts', dirs: [resolve(root, 'demo/posts')] };
    case 'news0':
      return { label: 'news0 (../shared/corpus/news0.tar.gz)', dirs: [await unpack(shared, work, 'news0')] };
    case 'corpus':
      return {
        label: '../shared/corpus (seed + news0 + news1)',
        dirs: [join(shared, 'corpus/seed'), await unpack(shared, work, 'news0'), await unpack(shared, work, 'news1-bbc-asahi')],
      };
    case '250k': {
      const corpus = await postsOf('corpus', { root, shared, work });
      const from = await singleOf(corpus.dirs, join(work, '250k-source'));
      const out = freshDir(join(work, '250k-posts'));
      await run(cli, ['generate', '--from', from, '--count', String(count), '--seed', '1', '-o', out], { quiet: true });
      return { label: `${count.toLocaleString('en-US')} generated posts (newsarchive generate --seed 1 from the corpus)`, dirs: [out] };
    }
    default:
      throw new Error(`unknown corpus ${name}: use one of ${CORPORA.join(', ')}`);
  }
}
