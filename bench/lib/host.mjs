// What a GitHub-Pages-like host does with a file, apart from moving it: the Content-Type
// it sends, whether it gzips the body, and its validators. Shared by the link model
// (link.mjs) and the republishing churn (churn.mjs), so both count the same bytes.
import { extname } from 'node:path';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  // Our search index buckets. GitHub Pages knows no type for .bin either.
  '.bin': 'application/octet-stream',
};

/** The Content-Type for a file name; unknown extensions are application/octet-stream. */
export const contentTypeOf = (path) => CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

// GitHub Pages compresses by MIME type, not by extension: text, JSON, JavaScript, XML,
// SVG and wasm come gzipped; images and application/octet-stream do not. No public page
// lists its exact types; octet-stream is taken as NOT compressed (what nginx's and
// Fastly's gzip type lists do), so .bin buckets travel as they are.
const COMPRESSED = /^(text\/|application\/(json|manifest\+json|javascript|xml|wasm)|image\/svg\+xml)/;

/** Whether the host gzips a body of this Content-Type (for a client that accepts gzip). */
export const hostCompresses = (contentType) => COMPRESSED.test(contentType);

/**
 * The host's validators for a file, from its mtime and size as nginx writes them
 * (GitHub Pages' look): ETag `"<mtime hex>-<size hex>"`, weak (`W/`) when the body is
 * gzipped, since the bytes then differ from the file's; Last-Modified as an HTTP date.
 */
export function validatorsOf(stat, gzipped) {
  const tag = `"${Math.floor(stat.mtimeMs / 1000).toString(16)}-${stat.size.toString(16)}"`;
  return { etag: gzipped ? `W/${tag}` : tag, lastModified: new Date(Math.floor(stat.mtimeMs / 1000) * 1000).toUTCString() };
}

/**
 * Whether a conditional request may be answered 304 (RFC 9110 §13.1): If-None-Match,
 * compared weakly, wins over If-Modified-Since.
 */
export function notModified(headers, { etag, lastModified }) {
  const inm = headers['if-none-match'];
  if (inm != null) {
    const bare = (t) => t.trim().replace(/^W\//, '');
    return inm.trim() === '*' || inm.split(',').some((t) => bare(t) === bare(etag));
  }
  const ims = headers['if-modified-since'];
  return ims != null && Date.parse(ims) >= Date.parse(lastModified);
}
