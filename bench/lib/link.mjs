// A static host like GitHub Pages, reached over a slow mobile link (Lighthouse's mobile
// profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up), modelled at the server.
// Chromium's network throttling is per page and does not slow a service worker's own
// fetches, so the link has to be where every request ends up: here.
//
// The model, per response:
// - latency: it starts no earlier than one round trip after its request arrived, plus
//   the request's upload time (its header bytes at upKbps; concurrent uploads do not
//   share the uplink, bodies are not counted: GETs have none);
// - connections: a new TCP connection can carry its first request only after its
//   handshake, `handshakeRtts` round trips after it was accepted (1 by default, as TCP;
//   real HTTPS adds TLS). A connection Chromium opened early has done it by then;
// - bandwidth: every byte (the body as sent, plus a fixed `headerBytes` estimate of the
//   response headers) goes through ONE downlink of downKbps shared fairly by all
//   responses in flight (downlink.mjs), whichever connection or client asked;
// - the host: text, JSON, JS, SVG and wasm gzipped when the request accepts gzip
//   (host.mjs: application/octet-stream, i.e. our .bin buckets, is not), ETag and
//   Last-Modified with 304 answers, the given Cache-Control, index.html for folders,
//   a redirect to add the slash to a folder's URL, 404.html (or a short text) for
//   missing files.
// Not modelled: TCP slow start and loss, HTTP/2 (Chromium opens up to 6 HTTP/1.1
// connections here, each paying its handshake, where GitHub Pages would multiplex one).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { sharedDownlink } from './downlink.mjs';
import { contentTypeOf, hostCompresses, notModified, validatorsOf } from './host.mjs';

const gzipAsync = promisify(gzipCallback);

/** Whether an Accept-Encoding header value admits gzip (a q of 0 refuses it). */
export function acceptsGzip(header = '') {
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && !(q && Number(q.slice(2)) === 0);
  });
}

/** Bytes of a request's head as it came on the wire (request line, headers, blank line). */
function requestHeadBytes(request) {
  let bytes = Buffer.byteLength(`${request.method} ${request.url} HTTP/${request.httpVersion}\r\n\r\n`);
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    bytes += Buffer.byteLength(request.rawHeaders[i]) + Buffer.byteLength(request.rawHeaders[i + 1]) + 4;
  }
  return bytes;
}

/**
 * Bodies as the host sends them: a file's gzipped bytes are made once per version of
 * the file (path, size, mtime) and kept in memory; plain files are read each time.
 */
function bodyCache() {
  const gzipped = new Map();
  return async function body(file, info, compress) {
    if (!compress) return readFile(file);
    const version = `${info.size}:${info.mtimeMs}`;
    let entry = gzipped.get(file);
    if (entry?.version !== version) {
      // The promise itself is kept, so concurrent first requests compress only once.
      entry = { version, bytes: readFile(file).then((raw) => gzipAsync(raw)) };
      gzipped.set(file, entry);
      entry.bytes.catch(() => gzipped.delete(file));
    }
    return entry.bytes;
  };
}

/** Bytes on the wire over time, and one log entry per request since the last reset. */
function linkStats(now) {
  let requests = [];
  let total = 0;
  // After each slice of the downlink: when, and the running total.
  let times = [];
  let totals = [];
  function bytesUntil(t) {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo ? totals[lo - 1] : 0;
  }
  return {
    api: {
      /** Bytes sent since the last reset: bodies as sent plus the header estimate (`uncounted` URLs left out). */
      get bytes() {
        return total;
      },
      /** { url, method, status, bytes, bodyBytes, rawBytes, encoding, start, end, connection, dest, aborted, counted }. */
      get requests() {
        return requests;
      },
      /** The server's clock: ms since it started, the time base of the log. */
      now,
      /**
       * Bytes handed to the downlink at or before `t` (server clock), counted as they
       * were sent: a response in flight at `t` counts its bytes sent so far, exact to
       * one tick of the downlink (`tickMs`, 2 ms).
       */
      bytesUntil,
      /** Bytes sent after `t0` and at or before `t1`. */
      bytesBetween: (t0, t1) => bytesUntil(t1) - bytesUntil(t0),
    },
    record(t, n) {
      total += n;
      times.push(t);
      totals.push(total);
    },
    log(entry) {
      requests.push(entry);
    },
    reset() {
      requests = [];
      total = 0;
      times = [];
      totals = [];
    },
  };
}

/**
 * Serves `root` on 127.0.0.1 through the modelled link. `prefix`: the site's path (a
 * project site, `/repo/`); `mounts`: { 'archive/': dir } answers a sub-folder from
 * another folder (as tests/e2e/static-server.mjs); `uncounted(url)`: requests still sent
 * but left out of the byte counts (the browser's favicon fetches). Resolves to
 * `{ server, url, stats, reset(), idle(quietMs), close() }`, `url` being the site's
 * address (with the prefix).
 */
export async function serveOverLink(
  root,
  {
    port = 0,
    prefix = '/',
    mounts = {},
    rttMs = 150,
    downKbps = 1600,
    upKbps = 750,
    gzip = true,
    cacheControl = 'max-age=600',
    headerBytes = 300,
    handshakeRtts = 1,
    uncounted = () => false,
    tickMs = 2,
    keepAliveMs = 60_000,
  } = {},
) {
  const started = performance.now();
  const now = () => performance.now() - started;
  const stats = linkStats(now);
  const downlink = sharedDownlink({ kbps: downKbps, now, tickMs });
  const body = bodyCache();
  const base = resolve(root);
  const roots = Object.entries(mounts).map(([at, dir]) => [at, resolve(dir)]);
  let connections = 0;
  let inFlight = 0;
  let lastActivity = now();

  /** The file a URL path names (it may not exist), or null when the path is outside the site. */
  function locate(path) {
    if (!path.startsWith(prefix)) return null;
    let rest = path.slice(prefix.length);
    let dir = base;
    const mount = roots.find(([at]) => rest.startsWith(at));
    if (mount) [rest, dir] = [rest.slice(mount[0].length), mount[1]];
    const file = normalize(join(dir, rest));
    return file === dir || file.startsWith(dir + sep) ? file : null;
  }

  /** What to answer: { status, headers, file?, info?, compress?, text? }. */
  async function answer(request, path) {
    let file = locate(path);
    // GitHub Pages redirects a folder's URL without its slash, the site's own included.
    if (file == null && `${path}/` === prefix) return { status: 301, headers: { location: prefix } };
    let info = file && (await stat(file).catch(() => null));
    if (info?.isDirectory()) {
      if (!path.endsWith('/')) return { status: 301, headers: { location: `${path}/` } };
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      const page = join(base, '404.html');
      const custom = await stat(page).catch(() => null);
      if (custom?.isFile()) {
        const compress = gzip && acceptsGzip(request.headers['accept-encoding']);
        const headers = { 'content-type': contentTypeOf(page), ...(compress && { 'content-encoding': 'gzip' }) };
        return { status: 404, headers, file: page, info: custom, compress };
      }
      return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, text: 'not found\n' };
    }
    const type = contentTypeOf(file);
    const compressible = gzip && hostCompresses(type);
    const compress = compressible && acceptsGzip(request.headers['accept-encoding']);
    const { etag, lastModified } = validatorsOf(info, compress);
    const headers = { 'content-type': type, 'cache-control': cacheControl, etag, 'last-modified': lastModified, 'access-control-allow-origin': '*' };
    // The answer depends on Accept-Encoding: caches must keep the variants apart.
    if (compressible) headers.vary = 'Accept-Encoding';
    if (notModified(request.headers, { etag, lastModified })) {
      delete headers['content-type'];
      return { status: 304, headers };
    }
    if (compress) headers['content-encoding'] = 'gzip';
    return { status: 200, headers, file, info, compress };
  }

  async function handle(request, response) {
    const arrived = now();
    inFlight += 1;
    lastActivity = arrived;
    const socket = request.socket;
    const entry = {
      url: request.url,
      method: request.method,
      status: null,
      bytes: 0,
      bodyBytes: 0,
      rawBytes: 0,
      encoding: null,
      start: arrived,
      end: null,
      connection: socket.linkId,
      // Who asked, as far as the request says (a service worker's fetches say 'empty').
      dest: request.headers['sec-fetch-dest'] ?? null,
      aborted: false,
      // Still sent over the link (it takes its share), but left out of the byte counts.
      counted: !uncounted(request.url),
    };
    stats.log(entry);
    let flow = null;
    response.on('close', () => {
      inFlight -= 1;
      lastActivity = now();
      if (response.writableFinished) return;
      // The client went away mid-transfer: stop sending and give its share back.
      flow?.cancel();
      entry.aborted = true;
      entry.end ??= now();
    });
    response.on('error', () => {});

    // One round trip (after the handshake, on a new connection) and the upload.
    const sendable = Math.max(arrived, socket.handshakeDone);
    const startAt = sendable + (requestHeadBytes(request) * 8) / upKbps + rttMs;

    let reply;
    try {
      let path;
      try {
        path = decodeURIComponent(new URL(request.url, 'http://host').pathname);
      } catch {
        path = null;
      }
      if (path == null) reply = { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, text: 'bad request\n' };
      else if (request.method !== 'GET' && request.method !== 'HEAD') reply = { status: 405, headers: { allow: 'GET, HEAD' }, text: '' };
      else reply = await answer(request, path);
      const bytes = reply.text != null ? Buffer.from(reply.text) : reply.file ? await body(reply.file, reply.info, reply.compress) : Buffer.alloc(0);
      reply.body = request.method === 'HEAD' ? Buffer.alloc(0) : bytes;
      // A HEAD says how long the body would be; a 304 has none to say.
      if (reply.status !== 304) reply.headers['content-length'] = bytes.length;
      entry.rawBytes = reply.info && reply.status === 200 ? reply.info.size : bytes.length;
    } catch (error) {
      const text = Buffer.from(`${error.message}\n`);
      reply = { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': text.length }, body: text };
    }
    if (response.destroyed) return;
    entry.status = reply.status;
    entry.encoding = reply.headers['content-encoding'] ?? null;

    // Headers first (their estimated size), then the body, slice by slice.
    let headerLeft = headerBytes;
    let offset = 0;
    flow = downlink.open({
      startAt,
      size: headerBytes + reply.body.length,
      send(n) {
        entry.bytes += n;
        if (entry.counted) stats.record(now(), n);
        if (response.destroyed) return true;
        const forHeaders = Math.min(n, headerLeft);
        headerLeft -= forHeaders;
        n -= forHeaders;
        if (forHeaders && headerLeft === 0) {
          response.writeHead(reply.status, reply.headers);
          response.flushHeaders();
        }
        if (!n) return true;
        const chunk = reply.body.subarray(offset, offset + n);
        offset += n;
        entry.bodyBytes += n;
        const more = response.write(chunk);
        if (!more) response.once('drain', () => flow.resume());
        return more;
      },
      end() {
        entry.end = now();
        if (!response.destroyed) response.end();
      },
    });
  }

  const server = createServer(handle);
  server.keepAliveTimeout = keepAliveMs;
  server.headersTimeout = keepAliveMs + 1000;
  server.on('connection', (socket) => {
    connections += 1;
    socket.linkId = connections;
    socket.handshakeDone = now() + handshakeRtts * rttMs;
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise((done) => server.listen(port, '127.0.0.1', done));

  return {
    server,
    url: `http://127.0.0.1:${server.address().port}${prefix}`,
    stats: stats.api,
    /** Empties the log and the byte counts; responses in flight go on, their later bytes counted anew. */
    reset: stats.reset,
    /** Resolves once no request has been in flight, arrived or ended for `quietMs`. */
    async idle(quietMs = 500) {
      while (inFlight > 0 || now() - lastActivity < quietMs) await new Promise((wake) => setTimeout(wake, 50));
    },
    /** Stops every transfer, drops the connections and closes the server. */
    close() {
      downlink.stop();
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
