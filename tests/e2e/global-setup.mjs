import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';
import { hasSharded, hasUpdate, MIRROR_PREFIX, ports, shardedDir, updateDir, updateSwitch } from './servers.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

function startUpdateHost() {
  writeFileSync(updateSwitch, `${updateDir}a\n`);
  return serve(dist, ports.update, '/', {}, { cacheControl: 'no-store', log: true, mountFile: updateSwitch });
}

export default async function globalSetup() {
  if (!existsSync(`${dist}index.html`) || !existsSync(`${dist}archive/archive.json`)) {
    throw new Error(`no built app in ${dist}: run \`make dist\` first`);
  }
  const servers = await Promise.all([
    serve(dist, ports.root),
    serve(dist, ports.mirror, MIRROR_PREFIX),
    // The same app reading the sharded demo archive (sharded.spec.mjs skips without it).
    ...(hasSharded ? [serve(dist, ports.sharded, '/', { 'archive/': shardedDir })] : []),
    // The field: a host that forbids caching, and one whose archive is republished.
    ...(hasSharded
      ? [serve(dist, ports.field, '/', { 'archive/': shardedDir }, { cacheControl: 'no-store', log: true })]
      : []),
    ...(hasUpdate ? [startUpdateHost()] : []),
  ]);
  // Returned function is the global teardown.
  return () => Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
}
