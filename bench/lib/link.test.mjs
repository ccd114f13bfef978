// node --test bench/lib/link.test.mjs: the modelled link (link.mjs) against its promises.
// The timing tests run at the default profile (150 ms, 1.6 Mbit/s): about 8 s in all.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, serveOverLink } from './link.mjs';

const BIG = 200_000;
const HEADER = 300;
let root;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'link-test-'));
  // Random bytes do not compress, whatever the type: the timing tests move all of them.
  writeFileSync(join(root, 'big.bin'), randomBytes(BIG));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title><p>hello</p>\n');
  const text = 'the same words again and again, '.repeat(2000);
  writeFileSync(join(root, 'data.json'), JSON.stringify({ text }));
  writeFileSync(join(root, 'app.js'), `console.log(${JSON.stringify(text)});\n`);
  writeFileSync(join(root, 'mod.wasm'), Buffer.concat([Buffer.from('\0asm\x01\0\0\0'), Buffer.alloc(50_000, 7)]));
  writeFileSync(join(root, 'bucket.bin'), Buffer.alloc(50_000, 1));
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'index.html'), '<p>sub</p>\n');
});
after(() => rmSync(root, { recursive: true, force: true }));

/** GET `url`: { status, headers, body, ms }. `agent: false` opens a new connection. */
function fetchRaw(url, { headers = {}, agent = false } = {}) {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    get(url, { headers, agent }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => done({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
      response.on('error', fail);
    }).on('error', fail);
  });
}

// Shared machine (another build may be running): timings within 10% plus 60 ms.
const near = (actual, expected, what) =>
  assert.ok(Math.abs(actual - expected) <= expected * 0.1 + 60, `${what}: ${actual.toFixed(0)} ms, expected about ${expected.toFixed(0)} ms`);

describe('at the default profile (150 ms, 1.6 Mbit/s)', () => {
  let link;
  before(async () => (link = await serveOverLink(root)));
  after(() => link.close());
  const transferMs = ((BIG + HEADER) * 8) / 1600;

  test('a 200 KB body takes its bytes at 1.6 Mbit/s plus two round trips (handshake, request)', async () => {
    link.reset();
    const r = await fetchRaw(`${link.url}big.bin`);
    assert.equal(r.status, 200);
    assert.equal(r.body.length, BIG);
    near(r.ms, transferMs + 2 * 150, 'one download');
    const [entry] = link.stats.requests;
    assert.equal(entry.bytes, BIG + HEADER);
    assert.equal(link.stats.bytes, BIG + HEADER);
    // Bytes in flight are counted as sent so far: about half way through, about half.
    const middle = (entry.start + entry.end) / 2 + 150;
    const half = link.stats.bytesUntil(middle) / (BIG + HEADER);
    assert.ok(half > 0.35 && half < 0.65, `half way: ${half}`);
    assert.equal(link.stats.bytesUntil(entry.end), BIG + HEADER);
    assert.equal(link.stats.bytesUntil(entry.start), 0);
  });

  test('two concurrent downloads share the bandwidth: each takes about twice as long', async () => {
    link.reset();
    const [a, b] = await Promise.all([fetchRaw(`${link.url}big.bin`), fetchRaw(`${link.url}big.bin`)]);
    near(a.ms, 2 * transferMs + 2 * 150, 'first of two');
    near(b.ms, 2 * transferMs + 2 * 150, 'second of two');
    const [x, y] = link.stats.requests;
    assert.notEqual(x.connection, y.connection);
    assert.equal(link.stats.bytes, 2 * (BIG + HEADER));
  });

  test('an aborted download stops, gives its share back and does not stop the server', async () => {
    link.reset();
    const other = fetchRaw(`${link.url}big.bin`);
    // The second one is dropped by its client 200 ms into its transfer.
    const dropped = new Promise((done) => {
      const request = get(`${link.url}big.bin`, { agent: false }, (response) => {
        response.on('data', () => {});
        setTimeout(() => request.destroy(), 200);
      });
      request.on('error', () => {});
      request.on('close', done);
    });
    await dropped;
    const r = await other;
    assert.equal(r.body.length, BIG);
    // Shared for 200 ms, then alone: well under the 2 s it would take shared throughout.
    assert.ok(r.ms < 2 * transferMs, `survivor took ${r.ms.toFixed(0)} ms`);
    near(r.ms, transferMs + 2 * 150 + 100, 'survivor');
    await new Promise((wake) => setTimeout(wake, 50));
    const aborted = link.stats.requests.find((e) => e.aborted);
    assert.ok(aborted, 'the dropped request is logged as aborted');
    assert.ok(aborted.bytes > 0 && aborted.bytes < BIG / 2, `aborted after ${aborted.bytes} bytes`);
    const again = await fetchRaw(`${link.url}index.html`);
    assert.equal(again.status, 200);
  });
});

describe('the host (fast link for speed)', () => {
  let link;
  before(async () => (link = await serveOverLink(root, { rttMs: 5, downKbps: 200_000 })));
  after(() => link.close());
  const gz = { 'accept-encoding': 'gzip, deflate, br' };

  test('gzips .json, .js and .wasm for a client that accepts it; the log counts compressed bytes', async () => {
    for (const name of ['data.json', 'app.js', 'mod.wasm']) {
      link.reset();
      const r = await fetchRaw(`${link.url}${name}`, { headers: gz });
      assert.equal(r.headers['content-encoding'], 'gzip', name);
      assert.equal(r.headers.vary, 'Accept-Encoding');
      assert.equal(Number(r.headers['content-length']), r.body.length);
      const raw = gunzipSync(r.body);
      assert.ok(r.body.length < raw.length / 10, `${name} compressed to ${r.body.length} of ${raw.length}`);
      const [entry] = link.stats.requests;
      assert.deepEqual([entry.bodyBytes, entry.bytes, entry.rawBytes, entry.encoding], [r.body.length, r.body.length + HEADER, raw.length, 'gzip']);
      assert.equal(link.stats.bytes, r.body.length + HEADER);
    }
  });

  test('does not gzip application/octet-stream (.bin), nor for a client that does not accept gzip', async () => {
    const bin = await fetchRaw(`${link.url}bucket.bin`, { headers: gz });
    assert.equal(bin.headers['content-encoding'], undefined);
    assert.equal(bin.headers['content-type'], 'application/octet-stream');
    assert.equal(bin.body.length, 50_000);
    const plain = await fetchRaw(`${link.url}data.json`);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.body.length > 60_000);
    const refused = await fetchRaw(`${link.url}data.json`, { headers: { 'accept-encoding': 'gzip;q=0, br' } });
    assert.equal(refused.headers['content-encoding'], undefined);
  });

  test('content types, index.html for folders, a slash added by redirect, 404', async () => {
    const types = {
      'index.html': 'text/html; charset=utf-8',
      'app.js': 'text/javascript; charset=utf-8',
      'data.json': 'application/json; charset=utf-8',
      'mod.wasm': 'application/wasm',
    };
    for (const [name, type] of Object.entries(types)) assert.equal((await fetchRaw(`${link.url}${name}`)).headers['content-type'], type);
    assert.match((await fetchRaw(link.url)).body.toString(), /hello/);
    const moved = await fetchRaw(`${link.url}sub`);
    assert.deepEqual([moved.status, moved.headers.location], [301, '/sub/']);
    assert.match((await fetchRaw(`${link.url}sub/`)).body.toString(), /sub/);
    assert.equal((await fetchRaw(`${link.url}missing.json`)).status, 404);
    // An encoded slash survives URL parsing and decodes to a step out of the site.
    const { port } = new URL(link.url);
    const outside = await new Promise((done) => get({ host: '127.0.0.1', port, path: '/..%2f..%2fetc%2fpasswd', agent: false }, (r) => (r.resume(), done(r.statusCode))));
    assert.equal(outside, 404);
  });

  test('304 for If-None-Match, one round trip and the header estimate', async () => {
    const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });
    const first = await fetchRaw(`${link.url}data.json`, { headers: gz, agent });
    assert.match(first.headers.etag, /^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    assert.ok(first.headers['last-modified']);
    const connection = link.stats.requests.at(-1).connection;
    link.reset();
    const again = await fetchRaw(`${link.url}data.json`, { headers: { ...gz, 'if-none-match': first.headers.etag }, agent });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, first.headers.etag);
    assert.ok(again.ms >= 5, `${again.ms} ms`);
    const [entry] = link.stats.requests;
    assert.deepEqual([entry.status, entry.bytes, entry.connection], [304, HEADER, connection]);
    // A tag of another version of the file is sent the file in full.
    const changed = await fetchRaw(`${link.url}data.json`, { headers: { ...gz, 'if-none-match': 'W/"1-2"' }, agent });
    assert.equal(changed.status, 200);
    agent.destroy();
  });

  test('sends the Cache-Control asked for', async () => {
    assert.equal((await fetchRaw(`${link.url}app.js`)).headers['cache-control'], 'max-age=600');
    const noStore = await serveOverLink(root, { rttMs: 1, downKbps: 200_000, cacheControl: 'no-store' });
    try {
      assert.equal((await fetchRaw(`${noStore.url}app.js`)).headers['cache-control'], 'no-store');
    } finally {
      await noStore.close();
    }
  });

  test('uncounted URLs go over the link but not into the byte counts', async () => {
    const site = await serveOverLink(root, { rttMs: 1, downKbps: 200_000, uncounted: (url) => url === '/favicon.ico' });
    try {
      assert.equal((await fetchRaw(`${site.url}favicon.ico`)).status, 404);
      const r = await fetchRaw(`${site.url}index.html`);
      const [icon, page] = site.stats.requests;
      assert.deepEqual([icon.counted, icon.bytes > 0, page.counted], [false, true, true]);
      assert.equal(site.stats.bytes, r.body.length + HEADER);
      assert.equal(site.stats.bytesUntil(site.stats.now()), site.stats.bytes);
    } finally {
      await site.close();
    }
  });

  test('a prefix and mounts, as a project site', async () => {
    const site = await serveOverLink(root, { rttMs: 1, downKbps: 200_000, prefix: '/repo/', mounts: { 'archive/': join(root, 'sub') } });
    try {
      assert.ok(site.url.endsWith('/repo/'));
      assert.equal((await fetchRaw(`${site.url}app.js`)).status, 200);
      assert.match((await fetchRaw(`${site.url}archive/index.html`)).body.toString(), /sub/);
      assert.equal((await fetchRaw(site.url.replace('/repo/', '/app.js'))).status, 404);
      const bare = await fetchRaw(site.url.replace(/\/$/, ''));
      assert.deepEqual([bare.status, bare.headers.location], [301, '/repo/']);
    } finally {
      await site.close();
    }
  });
});

test('acceptsGzip reads Accept-Encoding with its q values', () => {
  assert.equal(acceptsGzip('gzip, deflate, br, zstd'), true);
  assert.equal(acceptsGzip('br;q=1.0, gzip;q=0.5'), true);
  assert.equal(acceptsGzip('gzip;q=0'), false);
  assert.equal(acceptsGzip('identity'), false);
  assert.equal(acceptsGzip(undefined), false);
  assert.equal(acceptsGzip('*'), true);
});
