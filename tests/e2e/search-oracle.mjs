// What the reader should list for a set of filters, computed by brute force from the
// archive's own data: an independent implementation of the rules the reader documents
// (README, ARCHITECTURE, issue 3), not of its index. A post matches a search term if and
// only if its folded title or folded body text contains the folded term.

/**
 * Traditional→Simplified folding, for the Han characters the tests' queries use: each key
 * (a Simplified character) with every character that folds to it, taken from the table of
 * the `fast2s` crate (0.3.1) that the reader derives its folding from. Only these keys may
 * appear (after folding) in a query: `parseQuery` refuses others, so that an expectation
 * is never computed with a partial table. To use another character, add it with all its
 * variants.
 */
export const VARIANTS = {
  台: '台檯臺颱', 湾: '湾灣', 国: '国國', 际: '际際', 风: '风風', 会: '会會', 银: '银銀', 鸥: '鸥鷗',
  云: '云雲', 约: '约約', 峰: '峰', 立: '立', 法: '法', 疫: '疫', 情: '情', 流: '流', 感: '感',
  雀: '雀', 港: '港', 香: '香', 海: '海', 北: '北', 苗: '苗', 过: '过過', 去: '去', 热: '热熱', 线: '线綫線缐',
};
const SIMPLIFIED = new Map(Object.entries(VARIANTS).flatMap(([s, all]) => [...all].map((t) => [t, s])));
const HAN = /\p{Script=Han}/u;
const SPACE = /\p{White_Space}/u;

/** NFKC, lowercase and Traditional→Simplified, one character at a time, as the reader folds. */
export function fold(text) {
  let out = '';
  for (const c of text) {
    for (const n of c.normalize('NFKC')) out += SIMPLIFIED.get(n) ?? n.toLowerCase();
  }
  return out;
}

const BLOCK_TAGS = new Set(
  'p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr td th figure figcaption dd dt dl hr details summary caption'.split(' '),
);
const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&nbsp;': ' ' };

/** The text of a (sanitized) body: tags dropped, block boundaries as spaces, white space collapsed. */
export function textOf(html) {
  let text = '';
  let rest = html;
  for (let open = rest.indexOf('<'); open >= 0; open = rest.indexOf('<')) {
    text += rest.slice(0, open).replace(/&(amp|lt|gt|quot|nbsp);/g, (e) => ENTITIES[e]);
    let close = -1;
    for (let i = open + 1, quote = null; i < rest.length; i++) {
      const c = rest[i];
      if (quote) quote = c === quote ? null : quote;
      else if (c === '"' || c === "'") quote = c;
      else if (c === '>') { close = i; break; }
    }
    if (close < 0) { rest = ''; break; }
    const name = rest.slice(open + 1, close).replace(/^\/+/, '').split(/[\p{White_Space}/]/u)[0];
    if (BLOCK_TAGS.has(name)) text += ' ';
    rest = rest.slice(close + 1);
  }
  text += rest.replace(/&(amp|lt|gt|quot|nbsp);/g, (e) => ENTITIES[e]);
  return text.split(/\p{White_Space}+/u).filter(Boolean).join(' ');
}

/** Search box text → { include, exclude (folded terms), source, tag, category (qualifier values) }. */
export function parseQuery(input = '') {
  const tokens = [];
  let [current, inQuotes, quoted] = ['', false, false];
  for (const c of input) {
    if ('"“”「」'.includes(c)) {
      if (!inQuotes && current === '') quoted = true;
      inQuotes = !inQuotes;
    } else if (SPACE.test(c) && !inQuotes) {
      if (current) tokens.push([current, quoted]);
      [current, quoted] = ['', false];
    } else current += c;
  }
  if (current) tokens.push([current, quoted]);

  const query = { include: [], exclude: [], source: [], tag: [], category: [] };
  for (let [token, quoted] of tokens) {
    const negated = !quoted && token.startsWith('-') && token.length > 1;
    if (negated) token = token.slice(1);
    const colon = quoted ? -1 : token.indexOf(':');
    const [key, value] = colon < 0 ? [] : [token.slice(0, colon), token.slice(colon + 1)];
    if (['source', 'tag', 'category'].includes(key) && value && !negated) {
      query[key].push(value);
      continue;
    }
    const folded = fold(token);
    if (!folded.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '')) continue;
    for (const c of folded) {
      if (HAN.test(c) && !(c in VARIANTS)) {
        throw new Error(`the test oracle cannot fold “${c}” exactly (in “${input}”): add it to VARIANTS in search-oracle.mjs`);
      }
    }
    (negated ? query.exclude : query.include).push(folded);
  }
  return query;
}

/** How many times `term` occurs in `text`, overlaps included (as the index counts positions). */
function occurrences(text, term) {
  let n = 0;
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + 1)) n++;
  return n;
}

const FACET_FIELD = { source: (a) => [a.source], category: (a) => a.categories, tag: (a) => a.tags };
const FACET_LIST = { source: 'sources', category: 'categories', tag: 'tags' };
export const dayOf = (article) => article.date.slice(0, 10);

/**
 * The rules for `articles` (newest first, as in the archive) with bodies `bodies[i]`:
 * `listing(filters, except)` and `facetCountsUnder(filters, facet)`, where filters are
 * { source: [], category: [], tag: [], from, to, q, sort: 'best'|'newest'|'oldest' }.
 */
export function searchRules(articles, bodies, facets) {
  const folded = new Map();
  const foldedOf = (a) => {
    if (!folded.has(a)) folded.set(a, { title: fold(a.title), text: fold(textOf(bodies[articles.indexOf(a)])) });
    return folded.get(a);
  };

  /**
   * Articles that pass `filters`, in display order: facet values OR'ed within a facet and
   * matched folded (as qualifiers are), AND across facets, inclusive days, every search term in the title or the text and no
   * excluded one, qualifiers matching a facet value (folded, whole), ranked by best match
   * while searching unless a sort is chosen. `except` leaves one facet's panel selection
   * out, which is how facet counts are defined.
   */
  function listing(filters = {}, except = null) {
    const query = parseQuery(filters.q ?? '');
    const hits = new Map();
    const result = articles.filter((a) => {
      const passes =
        Object.entries(FACET_FIELD).every(
          ([facet, field]) =>
            (facet === except ||
              !filters[facet]?.length ||
              filters[facet].some((v) => field(a).some((x) => fold(x) === fold(v)))) &&
            query[facet].every((q) => field(a).some((v) => fold(v) === fold(q))),
        ) &&
        (!filters.from || dayOf(a) >= filters.from) &&
        (!filters.to || dayOf(a) <= filters.to);
      if (!passes) return false;
      if (!query.include.length && !query.exclude.length) return true;
      const { title, text } = foldedOf(a);
      const has = (term) => title.includes(term) || text.includes(term);
      if (!query.include.every(has) || query.exclude.some(has)) return false;
      const sum = (field) => query.include.reduce((n, term) => n + occurrences(field, term), 0);
      hits.set(a, { title: sum(title), all: sum(title) + sum(text) });
      return true;
    });
    if (filters.sort === 'oldest') return result.reverse();
    if (filters.sort === 'newest' || !query.include.length) return result;
    const order = new Map(articles.map((a, i) => [a, i]));
    return result.sort((a, b) => {
      const [x, y] = [hits.get(a), hits.get(b)];
      return (y.title > 0) - (x.title > 0) || y.all - x.all || b.ts - a.ts || order.get(a) - order.get(b);
    });
  }

  /** The count the reader should show next to each value of `facet` under `filters`. */
  function facetCountsUnder(filters, facet) {
    const pool = listing(filters, facet);
    return Object.fromEntries(
      facets[FACET_LIST[facet]].map(({ name }) => [name, pool.filter((a) => FACET_FIELD[facet](a).includes(name)).length]),
    );
  }

  /** Whether `article`'s folded title (else its text) contains `term` (folded here). */
  function contains(article, term, field = 'either') {
    const { title, text } = foldedOf(article);
    const t = fold(term);
    return field === 'title' ? title.includes(t) : field === 'text' ? text.includes(t) : title.includes(t) || text.includes(t);
  }

  return { listing, facetCountsUnder, contains, foldedOf };
}
