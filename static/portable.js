// The portable edition's files (docs/portable.md), for a page opened from disk (file://),
// where Chromium lets a page fetch nothing, not even the files beside it, but still runs
// classic scripts named by relative URLs. `newsarchive portable` packs the archive, the
// catalogues, the Traditional table and the wasm into data/NNN.js, each a script that
// hands its members to `pack` below; data/index.js (loaded right after this file) says
// which pack holds which path. A pack is read by adding its script tag the first time one
// of its members is asked for, and stays: the files never change while the page is open.
//
// boot.js and the app (src/app/portable.rs) ask `newsreaderPortable.get(path)` instead of
// fetch when this object exists. `newsarchive` writes this file from its own copy
// (src/builder/portable.rs includes it), so the runtime always matches the packs' format.
'use strict';
(() => {
  /** path → [pack, bytes] */
  let members = {};
  /** pack number → Promise of { text, binary } (members as strings, and as base64) */
  const packs = new Map();
  /** pack number → its promise's resolve, until the pack's script has run */
  const arriving = new Map();

  const packFile = (n) => `data/${String(n).padStart(3, '0')}.js`;

  /** Adds a classic script to the page; settles once it has run, or failed to load. */
  function script(src) {
    return new Promise((resolve, reject) => {
      const tag = document.createElement('script');
      tag.src = src;
      tag.onload = () => resolve();
      tag.onerror = () => reject(new Error(`${src} could not be read: is the portable folder whole?`));
      document.head.append(tag);
    });
  }

  function load(n) {
    if (!packs.has(n)) {
      const pack = new Promise((resolve, reject) => {
        arriving.set(n, resolve);
        // A script that loads but never calls pack() is not one of this edition's packs.
        script(packFile(n))
          .then(() => arriving.has(n) && reject(new Error(`${packFile(n)} is not a pack of this portable edition`)))
          .catch(reject);
      });
      // A failed read may succeed later (a folder still being copied): try again then.
      pack.catch(() => packs.delete(n));
      packs.set(n, pack);
    }
    return packs.get(n);
  }

  function decodeBase64(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    const raw = atob(text);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  globalThis.newsreaderPortable = {
    /** data/index.js: which pack holds each path, and its size in bytes. */
    members(index) {
      members = index;
    },
    /** data/NNN.js: the members of pack `n`, those that are UTF-8 text as strings, the others in base64. */
    pack(n, text, binary) {
      const resolve = arriving.get(n);
      arriving.delete(n);
      resolve?.({ text, binary });
    },
    /** Whether the edition holds `path` (relative to index.html). */
    has(path) {
      return Object.hasOwn(members, path.replace(/^\.\//, ''));
    },
    /** The bytes of `path` (relative to index.html), as a Uint8Array of its own buffer. */
    async get(path) {
      path = path.replace(/^\.\//, '');
      if (!Object.hasOwn(members, path)) throw new Error(`${path} is not in this portable edition`);
      const [n, size] = members[path];
      const { text, binary } = await load(n);
      const bytes = Object.hasOwn(text, path)
        ? new TextEncoder().encode(text[path])
        : Object.hasOwn(binary, path)
          ? decodeBase64(binary[path])
          : null;
      if (bytes?.length !== size) throw new Error(`${packFile(n)} does not hold ${path} whole`);
      return bytes;
    },
    script,
  };
})();
