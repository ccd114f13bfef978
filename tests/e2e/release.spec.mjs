// Publishing without compiling: the release tarball, unpacked in an empty folder, makes a
// whole site with its own newsarchive, by the very `run:` lines of the mirror workflow
// (docs/mirror-workflow.yml), with a PATH that has no cargo, rustc, trunk, node or npm.
// The site then opens in Chromium and lists and searches the posts as the oracle says.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { articles, expect, listing, resultCount, search, test } from './fixtures.mjs';
import { ports } from './servers.mjs';
import { serve } from './static-server.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const version = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"/m)[1];
const tarball = join(root, `release/newsreader-${version}.tar.gz`);
const workflow = readFileSync(join(root, 'docs/mirror-workflow.yml'), 'utf8');

test.skip(!existsSync(tarball), `no ${tarball}: run \`make release\``);

/** The workflow's shell steps, in order, as written. */
const runSteps = [...workflow.matchAll(/^\s+run: (.*)$/gm)].map((m) => m[1]);
/** Its env: block, as variables for those steps. */
const workflowEnv = Object.fromEntries([...workflow.matchAll(/^ {2}(NEWSREADER_\w+): "(.*)"$/gm)].map((m) => [m[1], m[2]]));

/** A folder of the only programs the steps may use; `curl` hands over the local tarball. */
function toolbox(dir) {
  mkdirSync(dir);
  for (const tool of ['sh', 'tar', 'gzip', 'date', 'cat', 'test']) {
    const found = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find(existsSync);
    if (found) symlinkSync(found, join(dir, tool));
  }
  writeFileSync(join(dir, 'curl'), `#!/bin/sh\nexec cat ${JSON.stringify(tarball)}\n`, { mode: 0o755 });
  return dir;
}

test('the release tarball makes a site by the mirror workflow’s steps, with no tool chain', async ({ page }) => {
  expect(runSteps.length, 'the workflow has its run steps').toBeGreaterThanOrEqual(3);
  const work = mkdtempSync(join(tmpdir(), 'newsreader-release-'));
  const repo = join(work, 'mirror');
  mkdirSync(repo);
  cpSync(join(root, 'demo/posts'), join(repo, '_posts'), { recursive: true });
  const bin = toolbox(join(work, 'bin'));
  for (const forbidden of ['cargo', 'rustc', 'trunk', 'node', 'npm']) {
    expect(readdirSync(bin)).not.toContain(forbidden);
  }
  const env = { PATH: bin, HOME: work, ...workflowEnv };
  const runAll = () => runSteps.map((step) => execFileSync(join(bin, 'sh'), ['-ec', step], { cwd: repo, env, encoding: 'utf8' })).join('');
  expect(runAll()).toMatch(/, [1-9]\d* cleaned\)/);
  const site = join(repo, '_site');
  expect(existsSync(join(site, 'archive/archive.json'))).toBe(true);
  expect(existsSync(join(repo, '_site.newsarchive-cache')), 'the cache is beside the site, not in it').toBe(true);
  // The next run, with what actions/cache restores (the cache and _site/archive): nothing
  // is cleaned again.
  expect(runAll()).toContain(', 0 cleaned)');

  const server = await serve(site, ports.root + 30);
  try {
    await page.goto(`http://127.0.0.1:${ports.root + 30}/#/`);
    await expect(resultCount(page)).toHaveText(String(articles.length));
    const term = articles.find((a) => a.lang.startsWith('zh')).title.slice(0, 2);
    await search(page, term);
    await expect(resultCount(page)).toHaveText(String(listing({ q: term }).length));
  } finally {
    // The page first: its background requests (the list's parts) must not meet a closed
    // server, whose refusals would be console errors of this test.
    await page.close();
    server.close();
  }
});
