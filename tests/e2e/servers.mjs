// Where the suite serves dist/: at the root of one port, under a sub-path of another,
// as a project site on GitHub Pages would be, and on a third port with the sharded
// build of the same demo posts as its archive/ folder.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ports = { root: 47180, mirror: 47181, sharded: 47182, field: 47183, update: 47184 };
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
