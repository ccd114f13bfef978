import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';
import { hasSharded, MIRROR_PREFIX, ports, shardedDir } from './servers.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

export default async function globalSetup() {
  if (!existsSync(`${dist}index.html`) || !existsSync(`${dist}archive/archive.json`)) {
    throw new Error(`no built app in ${dist}: run \`make dist\` first`);
  }
  const servers = await Promise.all([
    serve(dist, ports.root),
    serve(dist, ports.mirror, MIRROR_PREFIX),
    // The same app reading the sharded demo archive (sharded.spec.mjs skips without it).
    ...(hasSharded ? [serve(dist, ports.sharded, '/', { 'archive/': shardedDir })] : []),
  ]);
  // Returned function is the global teardown.
  return () => Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
}
