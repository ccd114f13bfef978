// How much of a republished site is new to a reader's cache: the files of the new build
// (B) that the old build (A) does not have byte for byte at the same path. Content-named
// shards that did not change keep their names and bytes, so they count as unchanged.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { contentTypeOf, hostCompresses } from './host.mjs';

/**
 * Every regular file under `dir` as Map<relative path, Stats>, following symlinks (a
 * serve root made of them counts as its targets), leaving out names in `skip`.
 */
function filesOf(dir, skip) {
  const files = new Map();
  const walk = (path, rel) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (skip.includes(entry.name)) continue;
      const full = join(path, entry.name);
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      const info = entry.isSymbolicLink() ? statSync(full, { throwIfNoEntry: false }) : entry;
      if (info?.isDirectory()) walk(full, name);
      else if (info?.isFile()) files.set(name, entry.isSymbolicLink() ? info : statSync(full));
    }
  };
  walk(dir, '');
  return files;
}

/** Whether two files have the same bytes: sizes first, the same inode, then the contents. */
function sameBytes(fileA, statA, fileB, statB) {
  if (statA.size !== statB.size) return false;
  if (statA.ino === statB.ino && statA.dev === statB.dev) return true;
  return readFileSync(fileA).equals(readFileSync(fileB));
}

/** A body's size as the host sends it: gzipped if its type is one the host compresses. */
const wireSize = (path, bytes) => (hostCompresses(contentTypeOf(path)) ? gzipSync(bytes).length : bytes.length);

/**
 * Compares build `dirB` with the earlier build `dirA`:
 * `{ filesA, filesB, bytesB, changedFiles, changedBytes, share, removedFiles }`, changed
 * being the files of B that are new or differ from A's file at the same path, bytes
 * summed over B's files, `share` = changedBytes / bytesB (0 for an empty B). With
 * `{ gzip: true }` also `gzipBytesB` and `gzipChangedBytes` (and `gzipShare`): the same
 * sums over the sizes a host like GitHub Pages sends (host.mjs: gzipped for text, JSON,
 * JS and wasm; as they are for .bin and images), compressed once per file at zlib's
 * default level; this reads and compresses every file of B, so it is off by default.
 * Names in `skip` (default: diagnostics.json, which the app never fetches) are left out.
 */
export function churn(dirA, dirB, { gzip = false, skip = ['diagnostics.json'] } = {}) {
  const a = filesOf(dirA, skip);
  const b = filesOf(dirB, skip);
  const result = { filesA: a.size, filesB: b.size, bytesB: 0, changedFiles: 0, changedBytes: 0, share: 0, removedFiles: 0 };
  if (gzip) Object.assign(result, { gzipBytesB: 0, gzipChangedBytes: 0, gzipShare: 0 });
  for (const [path, statB] of b) {
    const fileB = join(dirB, path);
    const statA = a.get(path);
    const changed = !statA || !sameBytes(join(dirA, path), statA, fileB, statB);
    result.bytesB += statB.size;
    if (changed) {
      result.changedFiles += 1;
      result.changedBytes += statB.size;
    }
    if (gzip) {
      const size = wireSize(path, readFileSync(fileB));
      result.gzipBytesB += size;
      if (changed) result.gzipChangedBytes += size;
    }
  }
  for (const path of a.keys()) if (!b.has(path)) result.removedFiles += 1;
  result.share = result.bytesB ? result.changedBytes / result.bytesB : 0;
  if (gzip) result.gzipShare = result.gzipBytesB ? result.gzipChangedBytes / result.gzipBytesB : 0;
  return result;
}
