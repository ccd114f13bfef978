// From raw numbers to verdicts: results against the oracle, the issue's targets, and
// the table printed per corpus (Markdown, so it can be pasted into the issue as is).

/** { count, missed, false } of `ids` against the oracle's ids, with a few examples of each. */
export function compare(ids, oracle) {
  const found = new Set(ids);
  const truth = new Set(oracle);
  const missed = [...truth].filter((id) => !found.has(id));
  const extra = [...found].filter((id) => !truth.has(id));
  return { count: found.size, missed: missed.length, false: extra.length, examples: { missed: missed.slice(0, 5), false: extra.slice(0, 5) } };
}

const KB = 1024;
const MB = 1024 ** 2;
const GB = 1024 ** 3;
const n = (x) => Math.round(x).toLocaleString('en-US');
const fmt = {
  ms: (x) => (x == null ? '—' : x < 10 ? `${x.toFixed(1)} ms` : `${n(x)} ms`),
  s: (ms) => (ms == null ? '—' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`),
  bytes: (b) =>
    b == null ? '—' : b >= GB ? `${(b / GB).toFixed(2)} GB` : b >= MB ? `${(b / MB).toFixed(1)} MB` : `${(b / KB).toFixed(1)} KB`,
  ratio: (r) => (r === 0 ? '0' : r < 0.01 ? r.toFixed(4) : r.toFixed(2)),
};
const verdict = (ok) => (ok == null ? '—' : ok ? 'PASS' : 'FAIL');
const pct = (share) => (share == null ? '—' : `${(share * 100).toFixed(2)}%`);
/** What a measurement that did not finish says in the ours column. */
const failedText = (x) => `failed: ${x.failed}`.slice(0, 120);
/** A row whose measurement did not finish says why in the ours column (and fails). */
const orFailed = (row, x) => {
  if (x?.skipped) return { ...row, ours: `skipped: ${x.skipped}`, result: '—' };
  return x?.failed ? { ...row, ours: failedText(x), result: row.result.startsWith('(') ? '—' : 'FAIL' } : row;
};

/** Why Pagefind has no number for this corpus, or null when it has. */
function pagefindMissing(pf) {
  if (pf.build.skipped) return 'skipped (BENCH_PAGEFIND=0)';
  const f = pf.build.failed;
  if (!f) return null;
  if (f.reason === 'limit' || f.reason === 'machine') {
    const why = f.reason === 'machine' ? ', machine nearly out of memory' : '';
    // Pagefind logs a [Phase] line as it starts each phase: the last one is where it stopped.
    const phase = pf.build.log?.findLast((line) => line.startsWith('['));
    const where = phase ? ` (in ${phase}${why})` : why && ` (${why.slice(2)})`;
    return `failed: out of memory at ${(f.atBytes / GB).toFixed(1)} GB after ${(f.afterMs / 1000).toFixed(0)} s${where}`;
  }
  return `failed: exit ${f.code ?? f.signal}`;
}

/**
 * A row comparing ours with another engine: PASS when ours/other <= max. `other` may be
 * a string saying why there is no number. With `bound`, the other engine stopped early
 * and `other` is how far it got, so the ratio is an upper bound ("<"); `shown` replaces
 * the other engine's number in the table.
 */
function versus(metric, ours, other, format, max, target, { bound = false, shown } = {}) {
  const ratio = typeof other === 'number' && other > 0 && ours != null ? ours / other : null;
  // An upper bound above the target proves nothing either way.
  const known = ratio != null && (!bound || ratio <= max);
  return {
    metric,
    ours: format(ours),
    other: shown ?? (typeof other === 'number' ? format(other) : other ?? '—'),
    ratio: ratio == null ? '—' : `${bound ? '< ' : ''}${fmt.ratio(ratio)}`,
    target,
    // No number of ours is our failure; none of Pagefind's is not.
    result: ours == null ? 'FAIL' : known ? verdict(ratio <= max) : bound ? 'unknown' : '—',
  };
}

/**
 * A row of ours against an absolute target; `applies` false shows the verdict in
 * parentheses (the target is for the other corpus). No number of ours fails it.
 */
function absolute(metric, ours, format, ok, target, applies = true) {
  if (!applies) return { metric, ours: format(ours), other: '', ratio: '', target, result: ours == null ? '—' : `(${verdict(ok).toLowerCase()})` };
  return { metric, ours: format(ours), other: '', ratio: '', target, result: ours == null ? 'FAIL' : verdict(ok) };
}

/** An absolute target for ours, with Pagefind's number beside it for comparison (not judged). */
function beside(metric, ours, other, format, ok, target, applies = true) {
  const row = absolute(metric, ours, format, ok, target, applies);
  const ratio = typeof other === 'number' && other > 0 && ours != null ? fmt.ratio(ours / other) : '—';
  return { ...row, other: typeof other === 'number' ? format(other) : other ?? '—', ratio };
}

/** The rows of the slow link, saving for offline, searching offline and republishing. */
function fieldRows(r, absent) {
  const { field, offline, churn } = r.ours;
  const pf = r.pagefind.field;
  const scale = r.corpus.name === '250k';
  const theirs = (key) => absent ?? (pf?.failed ? `failed: ${pf.failed}` : pf?.[key].median ?? '—');
  const runs = field?.runs?.length ?? 0;
  // A median of ours over the runs that finished; any run that failed (or lost its
  // query) fails the row, and the cell says how many.
  const fieldRow = (metric, key, other, format, max, target) => {
    const summary = field?.[key];
    const row = beside(metric, summary?.median, other, format, summary?.failed === 0 && summary.median <= max, target);
    if (summary?.failed) Object.assign(row, { ours: `${row.ours} (${summary.failed} of ${runs} failed)`, result: 'FAIL' });
    return orFailed(row, field);
  };
  const info = (metric, ours) => ({ metric, ours, other: '', ratio: '', target: 'for information', result: '' });
  const early = field?.firstResultsEarlyMs;
  const earlyLost = field?.early?.find((x) => x.lost || x.failed);
  const c = churn;
  const save = offline?.save;
  const q = offline?.query;
  const limit = scale ? 300 : 100;
  return [
    fieldRow(`first row on the slow link (median of ${runs} loads; Pagefind: its search box)`, 'firstRowMs', theirs('searchBoxMs'), fmt.ms, 1500, '≤ 1,500 ms'),
    fieldRow('  bytes on the link before it', 'firstRowBytes', theirs('searchBoxBytes'), fmt.bytes, 250 * KB, '≤ 250 KB'),
    fieldRow(`first results after typing, cold (median of ${runs} queries)`, 'firstResultsMs', theirs('firstResultsMs'), fmt.ms, 1500, '≤ 1,500 ms'),
    info(
      '  typed as soon as the first row shows',
      !early ? '—' : early.failed ? `${early.failed} of ${field.early.length} lost (${earlyLost.lost ?? earlyLost.failed})${early.median == null ? '' : `; others ${fmt.ms(early.median)}`}` : fmt.ms(early.median),
    ),
    info('  app interactive after navigation (median)', fmt.ms(field?.interactiveMs?.median)),
    orFailed(
      {
        ...absolute('republished with the newest 1% of posts: bytes new (raw; gzip)', c?.share, pct, c?.share <= 0.05 && c?.gzipShare <= 0.05, '≤ 5%, both'),
        ...(c?.share != null && { ours: `${pct(c.share)}; ${pct(c.gzipShare)} (${n(c.changedFiles)} of ${n(c.filesB)} files)` }),
      },
      c,
    ),
    orFailed(
      {
        ...absolute(
          `rebuilt after adding the newest ${c?.incremental?.added ?? 100} posts, with the build cache`,
          c?.incremental?.ms,
          fmt.ms,
          c?.incremental?.ms <= 3000 && c?.incremental?.identical === true,
          '≤ 3,000 ms, = a clean build',
        ),
        ...(c?.incremental && {
          ours: `${fmt.ms(c.incremental.ms)} (${n(c.incremental.filesRead)} files read; ${c.incremental.identical ? 'identical to' : 'DIFFERS from'} a clean build)`,
        }),
      },
      c,
    ),
    orFailed(
      {
        ...absolute('save for offline: bytes over the wire (gzip)', save?.bytes, fmt.bytes, save?.bytes <= 20 * MB, `≤ 20 MB${scale ? ' (at the corpus)' : ''}`, !scale),
        ...(save && { ours: `${fmt.bytes(save.bytes)} in ${fmt.s(save.ms)} (${n(save.requests)} requests)` }),
      },
      offline,
    ),
    info(`  offline: first text query (${offline?.first?.query ?? '—'}; prepares the search)`, fmt.ms(offline?.first?.ms)),
    orFailed(
      {
        ...absolute(`  offline query to the count on screen (median of ${r.queries.length} × ${r.settings.offlineRuns})`, q?.ms, fmt.ms, q?.ms <= limit, `≤ ${limit} ms`),
        ...(q && { ours: `${fmt.ms(q.ms)} (search ${fmt.ms(q.engine)})` }),
      },
      offline,
    ),
    orFailed(
      {
        ...absolute('  offline counts equal the oracle\'s', offline?.wrong?.length, (x) => (x == null ? '—' : x ? offline.wrong.join('; ') : 'all equal'), offline?.wrong?.length === 0, 'all equal'),
      },
      offline,
    ),
  ];
}

/** Every row of one corpus's table, from that corpus's raw results. */
export function rows(r) {
  const pf = r.pagefind;
  const missing = pagefindMissing(pf);
  // The build rows say why; the other rows only that.
  const absent = missing && (pf.build.skipped ? 'skipped' : 'failed (see build)');
  const app = r.ours.app;
  const out = [];

  // A Pagefind build killed at the memory ceiling still bounds the ratios: it had used
  // that long and that much, and would have needed more.
  const killed = pf.build.failed?.atBytes != null;
  const partial = killed ? { bound: true, shown: missing } : {};
  out.push(
    versus('index build time', r.ours.build.ms, killed || !missing ? pf.build.ms : missing, fmt.s, 0.1, '≤ 0.1 (10× faster)', partial),
    versus('index build peak memory (RSS of the process tree)', r.ours.build.peakBytes, killed || !missing ? pf.build.peakBytes : missing, fmt.bytes, 0.1, '≤ 0.1', partial),
  );
  out.push({
    metric: 'index bytes on disk (files)',
    ours: `${fmt.bytes(r.ours.build.indexBytes)} (${n(r.ours.build.indexFiles)})`,
    other: absent ?? `${fmt.bytes(pf.build.indexBytes)} (${n(pf.build.indexFiles)})`,
    ratio: missing ? '—' : fmt.ratio(r.ours.build.indexBytes / pf.build.indexBytes),
    target: 'ours includes the posts',
    result: '',
  });

  for (const q of r.queries) {
    const e = r.exactness[q];
    const ours = app.cold?.[q];
    const theirs = pf.browser?.cold[q];
    // The engine's ids come from the CLI; the page must show the same number.
    const pageAgrees = e.ours && ours?.count != null ? e.ours.count === ours.count : null;
    const page = pageAgrees === false ? `; page shows ${n(ours.count)}` : pageAgrees == null && e.ours ? '; page: —' : '';
    out.push({
      metric: `${q} (oracle: ${e.oracle == null ? '?' : n(e.oracle)}) results`,
      ours: e.ours ? `${n(e.ours.count)}: ${n(e.ours.missed)} missed, ${n(e.ours.false)} false${page}` : ours?.count != null ? `page shows ${n(ours.count)}` : '—',
      other: e.pagefind ? `${n(e.pagefind.count)}: ${n(e.pagefind.missed)} missed, ${n(e.pagefind.false)} false` : theirs ? n(theirs.count) : absent ?? '—',
      ratio: '',
      target: '0 missed, 0 false',
      // Not judged is not passed: without the CLI's ids or the page's count this fails.
      result: verdict(Boolean(e.ours && pageAgrees && e.ours.missed === 0 && e.ours.false === 0)),
    });
    out.push(
      orFailed(versus('  cold first query latency', ours?.ms, theirs?.ms ?? absent, fmt.ms, 1 / 2, '≤ 0.5'), ours),
      // How much of that is the requests themselves: the same index files (one bucket per
      // key per segment) fetched by plain JS from a page in the state the query began in.
      {
        ...versus(`  its ${ours?.indexFiles ?? '?'} index files fetched by plain JS (the floor)`, ours?.fetchFloorMs, theirs?.ms ?? absent, fmt.ms, 1 / 2, 'for reference'),
        result: '',
      },
      versus('  cold first query bytes (index)', ours?.indexBytes, theirs?.bytes ?? absent, fmt.bytes, 1 / 2, '≤ 0.5'),
      // Everything that arrived before the count was seen, snippets' details shards included.
      { ...versus('  cold first query bytes (all, to the count)', ours?.bytes, theirs?.bytes ?? absent, fmt.bytes, 1 / 2, 'for reference'), result: '' },
      // Like for like with Pagefind's search() call: the app's own measure of search, rank
      // and filter (User Timing `newsreader:search`), without drawing the list.
      versus(`  warm query latency, search (median of ${r.settings.warmRuns})`, app.warm?.[q]?.medianEngine, pf.browser?.warm[q].median ?? absent, fmt.ms, 1 / 3, '≤ 0.33'),
      // To the count on screen, for reference: Pagefind's number draws nothing.
      { ...versus(`  warm query to the count on screen (median)`, app.warm?.[q]?.median, pf.browser?.warm[q].median ?? absent, fmt.ms, 1 / 3, 'for reference'), result: '' },
    );
    // How much of ours is the browser delivering hashchange, not the app's work.
    const afterEvent = app.warm?.[q]?.medianAfterEvent;
    if (afterEvent != null) out.at(-1).ours += ` (${fmt.ms(afterEvent)} after hashchange)`;
  }

  const flex = r.flexsearch;
  const scale = r.corpus.name === '250k';
  const { memory, firstPaint, scroll, facetClick } = app;
  out.push(
    orFailed(versus('search index memory in the browser vs FlexSearch (CJK + context)', memory?.searchIndex, flex.skipped ? 'FlexSearch skipped' : flex.failed ? `FlexSearch failed: ${flex.failed}` : flex.indexBytes, fmt.bytes, 1 / 4, '≤ 0.25'), memory),
    // The reader's own wasm, which every visit loads; the sanitizer module's beside it.
    {
      ...absolute('app wasm, gzip level 9 (in brackets the sanitizer module, loaded with the first article)', r.ours.wasm?.reader?.gzip, fmt.bytes, r.ours.wasm?.reader?.gzip <= 500 * KB, '≤ 500 KB (the reader)'),
      ...(r.ours.wasm?.reader && { ours: `${fmt.bytes(r.ours.wasm.reader.gzip)} (${r.ours.wasm.sanitizer ? fmt.bytes(r.ours.wasm.sanitizer.gzip) : 'no module'})` }),
    },
    absolute('first list paint after navigation (median)', firstPaint?.median, fmt.ms, firstPaint?.median <= 1500, `≤ 1,500 ms${scale ? '' : ' (at 250k)'}`, scale),
    orFailed(absolute('app memory: JS heap + wasm, after the queries', memory?.afterQueries?.total, fmt.bytes, memory?.afterQueries?.total <= 150 * MB, `≤ 150 MB${scale ? '' : ' (at 250k)'}`, scale), memory),
    orFailed(absolute(`scrolling the list: p95 ms per frame (${scroll?.frames ?? 0} frames)`, scroll?.p95, fmt.ms, scroll?.p95 <= 33.4, '≤ 33.4 ms (2 frames at 60 Hz)'), scroll),
    // Lost clicks (the count never followed the checkbox) fail it whatever the times.
    orFailed(
      {
        ...absolute('facet filter click to updated list (median; max)', facetClick?.median, fmt.ms, facetClick?.max <= 100 && !facetClick?.lost?.length, '≤ 100 ms, max too, none lost'),
        ...(facetClick?.ms && { ours: `${fmt.ms(facetClick.median)}; ${fmt.ms(facetClick.max)}${facetClick.lost.length ? `; ${facetClick.lost.length} of ${facetClick.clicks} clicks lost` : ''}` }),
      },
      facetClick,
    ),
  );
  out.push(...fieldRows(r, absent));
  return out;
}

// Terminal columns a string takes: CJK and full-width characters take two.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
const widthOf = (s) => [...s].reduce((w, c) => w + (WIDE.test(c) ? 2 : 1), 0);

/** FlexSearch's own results, for reference under the table. */
function flexLine(r) {
  const flex = r.flexsearch;
  const name = `FlexSearch ${r.flexsearchVersion} (CJK + context)`;
  if (flex.skipped) return `${name}: skipped (BENCH_FLEXSEARCH=0).`;
  if (flex.failed) return `${name}: ${flex.failed}`;
  const perQuery = r.queries.map((q) => {
    const e = r.exactness[q].flexsearch;
    const found = e ? `${n(e.count)} (${n(e.missed)} missed, ${n(e.false)} false)` : n(flex.results[q].count);
    return `${q} ${found} in ${fmt.ms(flex.results[q].warmMs)}`;
  });
  return `${name}, for reference: index ${fmt.bytes(flex.indexBytes)} of JS heap, built in ${fmt.s(flex.indexMs)}; ${perQuery.join('; ')}.`;
}

/** The table as Markdown with columns padded for a terminal, then a summary and notes. */
export function table(r) {
  const header = { metric: 'metric', ours: 'ours', other: `Pagefind ${r.pagefind.version}`, ratio: 'ours/Pagefind', target: 'target', result: 'result' };
  const keys = Object.keys(header);
  const all = [header, ...r.rows];
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...all.map((row) => widthOf(row[k])))]));
  const line = (row) => `| ${keys.map((k) => row[k] + ' '.repeat(width[k] - widthOf(row[k]))).join(' | ')} |`;
  const rule = `|${keys.map((k) => '-'.repeat(width[k] + 2)).join('|')}|`;
  const pass = r.rows.filter((x) => x.result === 'PASS').length;
  const fail = r.rows.filter((x) => x.result === 'FAIL').length;
  return [
    `### ${r.corpus.label}`,
    '',
    line(header),
    rule,
    ...r.rows.map(line),
    '',
    `Targets: ${pass} PASS, ${fail} FAIL. ${flexLine(r)}`,
    ...r.notes.map((note) => `Note: ${note}`),
  ].join('\n');
}
