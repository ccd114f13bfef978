//! Search over the real corpus through the sharded archive as the builder writes it,
//! checked against a brute-force substring oracle and against the raw (unfolded) text,
//! for the queries the search issue names; and the sharded archive read back whole.

use crate::common;

use std::collections::BTreeSet;

use newsreader::archive::read::read_whole;
use newsreader::archive::read::SegmentIndex;
use newsreader::archive::{Archive, ARCHIVE_FILE};
use newsreader::builder::build_archive;
use newsreader::builder::shard::{shard, Cuts, OutputFile};
use newsreader::search::{fold, search_segments, Query};
use newsreader::text::html_to_text;

struct Corpus {
    titles: Vec<String>,
    texts: Vec<String>,
    index: Vec<SegmentIndex>,
}

fn corpus() -> Option<&'static Corpus> {
    static CORPUS: std::sync::OnceLock<Option<Corpus>> = std::sync::OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let mut files = Vec::new();
            for dir in common::unpacked_corpus("search_exactness")? {
                let label = format!("{}/", dir.file_name().unwrap().to_string_lossy());
                files.extend(common::read_posts_as(&dir, &label));
            }
            let archive = build_archive(&files, "2026-01-01T00:00:00Z").archive;
            let mut written: Vec<OutputFile> = Vec::new();
            let collect = |f| {
                written.push(f);
                Ok::<_, ()>(())
            };
            let manifest = shard(&archive, Cuts::default(), collect).unwrap();
            let manifest = manifest.to_json().into_bytes();
            let whole = read_whole(|path| match path {
                ARCHIVE_FILE => Ok(manifest.clone()),
                _ => Ok(written.iter().find(|f| f.path == path).expect("named file written").bytes.clone()),
            })
            .unwrap();
            let read_back: Vec<_> =
                (0..whole.details.len()).map(|i| whole.catalog.meta(i, &whole.details[i])).collect();
            assert!(read_back == archive.articles, "every post reads back from the shards as it was built");
            assert!(whole.details.iter().zip(&archive.bodies).all(|(d, body)| &d.body == body));

            let index = whole.index.expect("a sharded archive has an index");
            let Archive { articles, bodies, .. } = archive;
            let titles: Vec<String> = articles.into_iter().map(|a| a.title).collect();
            let texts: Vec<String> = bodies.iter().map(|b| html_to_text(b)).collect();
            Some(Corpus { titles, texts, index })
        })
        .as_ref()
}

const QUERIES: &[&str] = &[
    "立法會",
    "疫情",
    "国际",
    "台湾",
    "國際",
    "臺灣",
    "新冠肺炎",
    "covid-19",
    "COVID",
    "trump",
    // Latin and digits, whose pairs carry the next ASCII character: three characters
    // a key, the last key shifted back, across a space, and into Chinese.
    "china",
    "biden",
    "hong kong",
    "2021年",
    "5g",
    "特朗普",
    "2020",
    "香港 -疫情",
    "\"世界衞生組織\"",
    "美国 中国",
    "x",
];

fn results(corpus: &Corpus, query: &str) -> BTreeSet<u32> {
    let docs: Vec<u32> = corpus.index.iter().map(|s| s.docs).collect();
    let hits = search_segments(&Query::parse(query), &docs, |s, key| corpus.index[s].posting(key)).unwrap();
    hits.into_iter().map(|h| h.doc).collect()
}

#[test]
fn index_results_equal_the_brute_force_oracle() {
    let Some(corpus) = corpus() else { return };
    for query in QUERIES {
        let parsed = Query::parse(query);
        let oracle: BTreeSet<u32> = (0..corpus.titles.len())
            .filter(|&i| {
                let (title, text) = (fold(&corpus.titles[i]), fold(&corpus.texts[i]));
                let has = |t: &str| title.contains(t) || text.contains(t);
                parsed.include.iter().all(|t| has(&t.folded)) && !parsed.exclude.iter().any(|t| has(&t.folded))
            })
            .map(|i| i as u32)
            .collect();
        let found = results(corpus, query);
        let missed = oracle.difference(&found).count();
        let false_hits = found.difference(&oracle).count();
        assert_eq!((missed, false_hits), (0, 0), "{query}: {} expected, {} found", oracle.len(), found.len());
    }
}

#[test]
fn both_scripts_find_the_same_posts_and_every_raw_occurrence() {
    let Some(corpus) = corpus() else { return };
    for (traditional, simplified) in [("國際", "国际"), ("臺灣", "台湾"), ("台灣", "台湾"), ("立法會", "立法会")]
    {
        let found = results(corpus, simplified);
        assert_eq!(results(corpus, traditional), found, "{traditional} / {simplified}");
        for (i, (title, text)) in corpus.titles.iter().zip(&corpus.texts).enumerate() {
            let raw = [traditional, simplified].iter().any(|q| title.contains(q) || text.contains(q));
            assert!(!raw || found.contains(&(i as u32)), "{simplified} misses post {i}");
        }
        assert!(!found.is_empty(), "{simplified} finds posts in the corpus");
    }
}
