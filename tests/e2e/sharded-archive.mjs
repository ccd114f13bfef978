// A sharded archive read from its folder, as the files hold it, for expectations: the
// manifest, each part's list (entries [id, title, ts, day, source, lang, tags, categories]
// with facet values as positions in the part's own tables), and its details files
// { date, url, excerpt, body }, in step.
import { readFileSync } from 'node:fs';

/** `{ manifest, parts, articles, detailRows, facets }` of the archive in `dir` (ending in `/`). */
export function readSharded(dir) {
  const read = (file) => JSON.parse(readFileSync(`${dir}${file}`, 'utf8'));
  const manifest = read('archive.json');
  const parts = manifest.parts.map((part) => read(part.file));
  const articles = parts.flatMap((list) =>
    list.entries.map(([id, title, ts, , source, lang, tags, categories]) => ({
      id,
      title,
      ts,
      source: list.sources[source],
      lang: list.langs[lang],
      tags: tags.map((t) => list.tags[t]),
      categories: categories.map((c) => list.categories[c]),
    })),
  );
  const detailRows = parts.flatMap((list) => list.details.flatMap((d) => read(d.file)));
  articles.forEach((a, i) => (a.date = detailRows[i].date));
  const names = (field) => [...new Set(articles.flatMap(field))].map((name) => ({ name }));
  const facets = { sources: names((a) => [a.source]), tags: names((a) => a.tags), categories: names((a) => a.categories) };
  return { manifest, parts, articles, detailRows, facets };
}
