// Where the suite serves dist/: at the root of one port, and under a sub-path of
// another, as a project site on GitHub Pages would be.
export const ports = { root: 47180, mirror: 47181 };
export const MIRROR_PREFIX = '/mirror/news/';
export const mirrorURL = `http://127.0.0.1:${ports.mirror}${MIRROR_PREFIX}`;
