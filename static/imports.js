// Archives imported into this browser (src/app/imports.rs decides what is imported and
// reads them; this file only keeps bytes). Each bundle is kept whole, as the file it was
// (already verified by the app), in the origin-private file system, else in IndexedDB:
// one write per import, and members read later as slices of it, so an archive of
// thousands of files is neither copied file by file nor read whole to open one post.
// A classic script (not a module) so that it also works where modules cannot load.
(() => {
  const FOLDER = 'imported-archives';
  const DB = 'newsreader-imports';
  const STORE = 'bundles';
  const fileName = (id) => `${id}.tar`;

  async function folder() {
    const root = await navigator.storage.getDirectory();
    return root.getDirectoryHandle(FOLDER, { create: true });
  }

  /** Whether this browser has a file system for the site (OPFS) with writable files. */
  async function hasFileSystem() {
    try {
      return typeof navigator.storage?.getDirectory === 'function' && 'createWritable' in FileSystemFileHandle.prototype;
    } catch {
      return false;
    }
  }

  function database() {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }

  async function request(mode, act) {
    const db = await database();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = tx.onabort = () => reject(tx.error ?? req.error);
    });
  }

  // A File read from OPFS stays valid while the file is unchanged, and bundles never change.
  const opened = new Map();
  async function bundle(id) {
    if (!opened.has(id)) {
      opened.set(
        id,
        (async () => {
          if (await hasFileSystem()) return (await (await folder()).getFileHandle(fileName(id))).getFile();
          const blob = await request('readonly', (store) => store.get(id));
          if (!blob) throw new DOMException(`no imported archive ${id}`, 'NotFoundError');
          return blob;
        })(),
      );
      opened.get(id).catch(() => opened.delete(id));
    }
    return opened.get(id);
  }

  globalThis.newsreaderImports = {
    /** Keeps `blob` as the bundle of archive `id` (replacing one of the same id). */
    async put(id, blob) {
      opened.delete(id);
      if (await hasFileSystem()) {
        const handle = await (await folder()).getFileHandle(fileName(id), { create: true });
        const writable = await handle.createWritable();
        try {
          await writable.write(blob);
          await writable.close();
        } catch (error) {
          await writable.abort().catch(() => {});
          throw error;
        }
      } else {
        await request('readwrite', (store) => store.put(blob, id));
      }
    },
    /** Bytes `start` to `end` of archive `id`'s bundle. */
    async slice(id, start, end) {
      const file = await bundle(id);
      if (end > file.size) throw new DOMException(`the imported archive ${id} is shorter than expected`, 'NotReadableError');
      return new Uint8Array(await file.slice(start, end).arrayBuffer());
    },
    /** Forgets archive `id`; forgetting one that is not here is no error. */
    async remove(id) {
      opened.delete(id);
      if (await hasFileSystem()) {
        await (await folder()).removeEntry(fileName(id)).catch((error) => {
          if (error.name !== 'NotFoundError') throw error;
        });
      } else {
        await request('readwrite', (store) => store.delete(id));
      }
    },
  };
})();
