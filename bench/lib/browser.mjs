// Headless Debian Chromium, the static server, and the DevTools-protocol measurements
// every leg shares: bytes on the wire, JS heap after a forced GC, and in-page waiting.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM } from '../../tests/e2e/chromium.mjs';
import { serve } from '../../tests/e2e/static-server.mjs';

export function launch() {
  return chromium.launch(CHROMIUM);
}

/**
 * A fresh context: empty HTTP cache, so its first query is really cold. Service workers
 * are blocked by default so that the app's sw.js never answers from its cache instead of
 * the network; the field legs (field.mjs) allow them, as a reader's browser does.
 */
export function freshContext(browser, { serviceWorkers = 'block' } = {}) {
  return browser.newContext({
    serviceWorkers,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
}

/**
 * Serves `root` on 127.0.0.1 at a free port. `count()` starts counting the bytes the
 * server sends (headers and bodies, as on the wire) and returns a function that stops
 * and gives { bytes, gzipBytes, responses }, gzipBytes being the bodies' size had the
 * host compressed them. Counting at the server sees every request, including
 * those of Web Workers (Pagefind searches in one), which the page's own DevTools session
 * would not. The browser's favicon fetches are left out: they come whenever the browser
 * likes, not from a query.
 */
export async function serveRoot(root) {
  const server = await serve(root, 0);
  const gzipped = new Map();
  // What a host that compresses (GitHub Pages, most CDNs) would send as the body: this
  // server sends files as they are. Files already compressed (Pagefind's) hardly change.
  const gzipSize = (path) => {
    const file = join(root, decodeURIComponent(new URL(path, 'http://x').pathname));
    if (!gzipped.has(file)) {
      try {
        const raw = readFileSync(file);
        gzipped.set(file, Math.min(raw.length, gzipSync(raw).length));
      } catch {
        gzipped.set(file, 0);
      }
    }
    return gzipped.get(file);
  };
  let seen = null;
  let inFlight = 0;
  let lastActivity = performance.now();
  server.on('request', (request, response) => {
    // Chromium does not pipeline HTTP/1.1: on a socket, one response ends before the next starts.
    const before = request.socket.bytesWritten;
    inFlight += 1;
    lastActivity = performance.now();
    response.on('close', () => {
      inFlight -= 1;
      lastActivity = performance.now();
    });
    response.on('finish', () => {
      if (seen && !/\/(favicon\.ico|icon\.svg)$/.test(request.url)) {
        seen.push({ path: request.url, bytes: request.socket.bytesWritten - before });
      }
    });
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    count() {
      const responses = (seen = []);
      return () => {
        seen = null;
        // Compressing here, after the measured part: a large file takes the event loop a while.
        for (const r of responses) r.gzipBody = gzipSize(r.path);
        const sum = (key) => responses.reduce((total, r) => total + r[key], 0);
        return { bytes: sum('bytes'), gzipBytes: sum('gzipBody'), responses };
      };
    },
    /** Resolves once nothing has been requested or answered for `quietMs`. */
    async idle(quietMs = 500) {
      while (inFlight > 0 || performance.now() - lastActivity < quietMs) {
        await new Promise((wake) => setTimeout(wake, 50));
      }
    },
    close: () => new Promise((done) => server.close(done)),
  };
}

/**
 * JS heap in use after a full garbage collection, in bytes (Runtime.getHeapUsage's
 * usedSize). Wasm linear memory is outside this heap; callers add it where it applies.
 */
export async function heapAfterGc(context, page) {
  const session = await context.newCDPSession(page);
  // Twice: what the first collection's finalizers release (wasm-bindgen frees Rust objects
  // from a FinalizationRegistry) is only garbage for the next one.
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  await session.detach();
  return usedSize;
}

/**
 * In-page helper, installed before any page script: `__bench.until(test, timeoutMs)`
 * resolves with test()'s first truthy value, checked after every DOM mutation (so the
 * time is taken when the page changes, not when a poll happens to look) and every 50 ms
 * for conditions that are not in the DOM; `__bench.frame()` resolves at the next
 * animation frame; `__bench.lastHashchange` is when the last hashchange event came.
 */
export const IN_PAGE_HELPERS = () => {
  globalThis.__bench = {
    until(test, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const value = test();
          if (!value) return;
          stop();
          resolve(value);
        };
        const observer = new MutationObserver(check);
        const poll = setInterval(check, 50);
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${test}`));
        }, timeoutMs);
        const stop = () => {
          observer.disconnect();
          clearInterval(poll);
          clearTimeout(timer);
        };
        observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
        check();
      });
    },
    frame: () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now()))),
    lastHashchange: null,
  };
  // Registered before any page script, so it runs before the page's own listeners: when
  // the browser delivered the last hashchange (it queues the event after the URL changes).
  addEventListener('hashchange', () => (globalThis.__bench.lastHashchange = performance.now()));
};

export const median = (values) => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const percentile = (values, p) => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
