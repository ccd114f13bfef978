// A minimal static file server for `make serve` and the browser tests, bound to
// 127.0.0.1. Usage: node static-server.mjs <dir> <port> [<prefix>]
// With a prefix (e.g. /mirror/news/) the files are served only under that path, as a
// project site on GitHub Pages would be. The tests also pass `mounts`, { 'archive/': dir },
// to answer one sub-folder from another directory (the app with another archive), and
// `options`:
// - cacheControl: the Cache-Control header (default no-cache);
// - mountFile: a file naming, on its first line, the directory `archive/` is answered
//   from at the time of each request, and on an optional second line the directory the
//   rest is (a republished archive, a new version of the app, for the update tests);
// - log: record every request; GET /__log answers them as JSON (whoever made them,
//   page or service worker), GET /__log?reset forgets them. A path that starts with
//   /t/<name>/ is served as the rest of it and logged under <name> (GET /__log?t=<name>):
//   tests running side by side on one server each count their own requests.
//   GET /__log?t=<name>&slow=<ms> delays that test's later answers by ms each: a save
//   of the demo, six files at a time on loopback, is otherwise over before a test can
//   interrupt it.
import { createServer } from 'node:http';
import { createReadStream, readFileSync, statSync } from 'node:fs';
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

export function serve(dir, port, prefix = '/', mounts = {}, options = {}) {
  const { cacheControl = 'no-cache', mountFile = null, log = false } = options;
  const roots = Object.entries(mounts).map(([at, mounted]) => [at, resolve(mounted)]);
  const requests = [];
  const slow = new Map();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    if (log && path === '/__log') {
      const name = url.searchParams.get('t') ?? '';
      const mine = requests.filter((r) => r.name === name);
      if (url.searchParams.has('reset')) requests.splice(0, requests.length, ...requests.filter((r) => r.name !== name));
      if (url.searchParams.has('slow')) slow.set(name, Number(url.searchParams.get('slow')));
      const body = JSON.stringify(mine.map((r) => r.path));
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
      return;
    }
    const [, name = '', unnamed = path] = log ? (path.match(/^\/t\/([^/]+)(\/.*)$/) ?? []) : [];
    if (log) requests.push({ name, path: unnamed });
    if (slow.get(name) > 0) await new Promise((wake) => setTimeout(wake, slow.get(name)));
    path = unnamed;
    if (!path.startsWith(prefix)) {
      response.writeHead(404).end('not found');
      return;
    }
    let rest = path.slice(prefix.length);
    let root = resolve(dir);
    const lines = mountFile ? readFileSync(mountFile, 'utf8').split('\n').map((l) => l.trim()) : [];
    const current = lines[0] ? [['archive/', resolve(lines[0])]] : [];
    if (lines[1]) root = resolve(lines[1]);
    const mount = [...current, ...roots].find(([at]) => rest.startsWith(at));
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
        'cache-control': cacheControl,
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
