// A minimal static file server for `make serve` and the browser tests, bound to
// 127.0.0.1. Usage: node static-server.mjs <dir> <port> [<prefix>]
// With a prefix (e.g. /mirror/news/) the files are served only under that path, as a
// project site on GitHub Pages would be. The tests also pass `mounts`, { 'archive/': dir },
// to answer one sub-folder from another directory (the app with another archive).
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
};

export function serve(dir, port, prefix = '/', mounts = {}) {
  const roots = Object.entries(mounts).map(([at, mounted]) => [at, resolve(mounted)]);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    if (!path.startsWith(prefix)) {
      response.writeHead(404).end('not found');
      return;
    }
    let rest = path.slice(prefix.length);
    let root = resolve(dir);
    const mount = roots.find(([at]) => rest.startsWith(at));
    if (mount) [rest, root] = [rest.slice(mount[0].length), mount[1]];
    let file = normalize(join(root, rest));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const size = statSync(file).size;
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': size,
        'cache-control': 'no-cache',
      });
      createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((done) => server.listen(port, '127.0.0.1', () => done(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = 'dist', port = '8080', prefix = '/'] = process.argv.slice(2);
  await serve(dir, Number(port), prefix);
  console.log(`serving ${dir} on http://127.0.0.1:${port}${prefix}`);
}
