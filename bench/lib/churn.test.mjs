// node --test bench/lib/churn.test.mjs: what a republish changes (churn.mjs) on a small tree.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { churn } from './churn.mjs';

let top;
const put = (root, path, content) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};
const text = (n, c = 'a') => `${c}`.repeat(n);

before(() => {
  top = mkdtempSync(join(tmpdir(), 'churn-test-'));
  const a = join(top, 'a');
  const b = join(top, 'b');
  put(a, 'index.html', text(100));
  put(b, 'index.html', text(100)); // same: unchanged
  put(a, 'archive/archive.json', text(300));
  put(b, 'archive/archive.json', text(300, 'b')); // same size, other bytes: changed
  put(a, 'archive/list/0001.json', text(50));
  put(b, 'archive/list/0001.json', text(80)); // other size: changed
  put(b, 'archive/search/00ff.bin', Buffer.alloc(1000, 9)); // new: changed
  put(a, 'archive/search/dead.bin', Buffer.alloc(10)); // gone from B
  put(a, 'archive/diagnostics.json', text(5));
  put(b, 'archive/diagnostics.json', text(7_000)); // ignored
});
after(() => rmSync(top, { recursive: true, force: true }));

test('counts the files of B that are new or differ from A at the same path', () => {
  const r = churn(join(top, 'a'), join(top, 'b'));
  assert.deepEqual(r, {
    filesA: 4,
    filesB: 4,
    bytesB: 100 + 300 + 80 + 1000,
    changedFiles: 3,
    changedBytes: 300 + 80 + 1000,
    share: 1380 / 1480,
    removedFiles: 1,
  });
});

test('the same build twice changes nothing; against nothing, everything is new', () => {
  const same = churn(join(top, 'b'), join(top, 'b'));
  assert.deepEqual([same.changedFiles, same.changedBytes, same.share], [0, 0, 0]);
  mkdirSync(join(top, 'empty'));
  const fresh = churn(join(top, 'empty'), join(top, 'b'));
  assert.deepEqual([fresh.changedFiles, fresh.share], [4, 1]);
});

test('with gzip: sizes as the host sends them, gzipped for JSON and HTML, as they are for .bin', () => {
  const r = churn(join(top, 'a'), join(top, 'b'), { gzip: true });
  const gz = (s) => gzipSync(s).length;
  const changed = gz(text(300, 'b')) + gz(text(80)) + 1000;
  assert.equal(r.gzipChangedBytes, changed);
  assert.equal(r.gzipBytesB, gz(text(100)) + changed);
  assert.equal(r.gzipShare, changed / r.gzipBytesB);
});

test('follows symlinks, as a serve root made of them', () => {
  const root = join(top, 'served');
  mkdirSync(root);
  symlinkSync(join(top, 'b', 'archive'), join(root, 'archive'));
  symlinkSync(join(top, 'b', 'index.html'), join(root, 'index.html'));
  const r = churn(join(top, 'b'), root);
  assert.deepEqual([r.filesB, r.changedFiles], [4, 0]);
});
