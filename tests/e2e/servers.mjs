// Where the suite serves dist/: at the root of one port, under a sub-path of another,
// as a project site on GitHub Pages would be, and on a third port with the sharded
// build of the same demo posts as its archive/ folder.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// E2E_PORT_BASE moves them all (base, base+1, …), so that two checkouts can run the
// suite at once.
const base = Number(process.env.E2E_PORT_BASE ?? 47180);
if (!Number.isInteger(base) || base < 1024 || base > 65530) {
  throw new Error(`E2E_PORT_BASE must be a port number from 1024 to 65530, not ${process.env.E2E_PORT_BASE}`);
}
export const ports = { root: base, mirror: base + 1, sharded: base + 2, field: base + 3, update: base + 4 };
export const MIRROR_PREFIX = '/mirror/news/';
export const mirrorURL = `http://127.0.0.1:${ports.mirror}${MIRROR_PREFIX}`;
export const shardedURL = `http://127.0.0.1:${ports.sharded}/`;
/** `make demo-archive` (and so `make dist`) writes it next to the single-file demo archive. */
export const shardedDir = fileURLToPath(new URL('../../target/demo-archive-sharded/', import.meta.url));
export const hasSharded = existsSync(`${shardedDir}archive.json`);

/** The sharded demo as a host that forbids caching (`no-store`), every request logged. */
export const fieldURL = `http://127.0.0.1:${ports.field}/`;
/** A host whose archive/ is build A or B of the same folder (demo-update/current names which). */
export const updateURL = `http://127.0.0.1:${ports.update}/`;
export const updateDir = fileURLToPath(new URL('../../target/demo-update/', import.meta.url));
export const updateSwitch = `${updateDir}current`;
export const hasUpdate = existsSync(`${updateDir}a/archive.json`) && existsSync(`${updateDir}b/archive.json`);
