// Small file-system helpers: sizes of folders, serve roots made of symlinks, and the
// file-name form of a post id.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Total bytes and number of regular files under `dir`, leaving out names in `skip`. */
export function dirSize(dir, skip = []) {
  let bytes = 0;
  let files = 0;
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (skip.includes(entry.name)) continue;
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        bytes += statSync(full).size;
        files += 1;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

/** A fresh empty folder (anything there before is removed). */
export function freshDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A serve root made of symlinks, so that nothing large is copied: `entries` maps a
 * name in the root to the file or folder it points at. The static server follows them.
 */
export function symlinkRoot(root, entries) {
  freshDir(root);
  for (const [name, target] of Object.entries(entries)) symlinkSync(resolve(target), join(root, name));
  return root;
}

/** Every entry of `dir` as { name: path }, leaving out names in `skip`. */
export function entriesOf(dir, skip = []) {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => !skip.includes(name))
      .map((name) => [name, join(dir, name)]),
  );
}

/**
 * A post id as a file name and back: letters, digits, '-' and '_' stay, every other
 * UTF-8 byte becomes '~' and two hex digits. Today's ids are hex already; this keeps
 * the mapping from a Pagefind result URL back to the id exact whatever ids become.
 */
export const idToName = (id) =>
  [...Buffer.from(id, 'utf8')]
    .map((b) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `~${b.toString(16).padStart(2, '0')}`))
    .join('');
export const nameToId = (name) =>
  Buffer.from(name.replace(/~([0-9a-f]{2})|./gs, (m, hex) => (hex ? String.fromCharCode(parseInt(hex, 16)) : m)), 'latin1').toString('utf8');

/** Marks a prepared input complete, so that a later run can reuse it. */
export const markDone = (dir, what) => writeFileSync(join(dir, '.complete'), `${what}\n`);
export const isDone = (dir) => existsSync(join(dir, '.complete'));
