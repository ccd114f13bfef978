//! Generated inputs for everything that reads untrusted bytes: post files (front matter,
//! bodies, the whole builder) and every decoder of archive files (archive.json, list and
//! details shards, search buckets), plus the URL fragment, the search box, the script
//! conversion table, reading-state files, and the timeline's days and date inputs. Each
//! property asserts no panic and the invariants: every file read is archived, skipped or
//! merged; stored bodies are sanitizer output that sanitizing again leaves unchanged and
//! that holds nothing script-capable.

use newsreader::archive::gzip::gunzip;
use newsreader::builder::gzip::gzip;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use newsreader::archive::read::{details_shard, part_list, search_bucket};
use newsreader::archive::{Archive, ArchiveFile, Manifest, PartList, Shard, ARCHIVE_FILE};
use newsreader::builder::frontmatter;
use newsreader::builder::shard::{shard, Cuts};
use newsreader::builder::{build_archive, SourceFile};
use newsreader::convert::{table_from_opencc, ToTraditional};
use newsreader::reading::ReadingState;
use newsreader::route::Route;
use newsreader::sanitize::{sanitize, Images};
use newsreader::search::bucket::{decode_followed_by, term_keys};
use newsreader::search::{highlights, search, snippet, Query};
use newsreader::timeline::{bins, check_range, natural_zoom, span, Zoom};

use crate::common;
use crate::harmless;

/// Pieces that real posts and real attacks are made of, so that generated text reaches
/// the interesting states (fences, YAML, dates, markup the rewriter finds ambiguous)
/// far more often than uniformly random characters would.
const PIECES: &[&str] = &[
    "---\n",
    "---",
    "...\n",
    "\n",
    "\r\n",
    "\n\n",
    " ",
    "\t",
    "\u{feff}",
    "\0",
    "title: ",
    "date: ",
    "author: ",
    "from: ",
    "tags: ",
    "categories: ",
    "layout: ",
    "description: ",
    "2020-03-09 17:04:30.000000000 +08:00",
    "2022-11-29T06:04:04.000Z",
    "2021-13-45",
    "1669701844000",
    "<!--1669701844000-->",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "\"",
    "'",
    "|",
    ">",
    "&",
    "#",
    "*",
    "!!binary ",
    "&anchor ",
    "*anchor",
    "? ",
    "https://x.example/a",
    "//img.example/b.jpg",
    "javascript:alert(1)",
    "[標題](https://www.cna.com.tw/news/1.aspx)\n------\n",
    "<p>",
    "</p>",
    "<div class=\"articlekeywordGroup\"><div class=\"keywordTag\"><a href=\"/t\">#俄軍</a></div></div>",
    "<script>window.__pwned=1</script>",
    "<style>p{}</style>",
    "<frameset><frame src=\"x\"></frameset>",
    "<img data-src=\"https://i.example/a.jpg\" class=\"lazy\" alt=\"a\">",
    "<img src=x onerror=alert(1)>",
    "<svg><script>1</script></svg>",
    "<math><mi>x</mi></math>",
    "<a href=\"/rel\">rel</a>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<template>",
    "<noscript>",
    "<iframe srcdoc=\"<script>1</script>\">",
    "<table><tr><td>",
    "</td></tr>",
    "<select><script>",
    "</select>",
    "&amp;",
    "&lt;",
    "&#x3c;",
    "臺灣",
    "台湾",
    "國際",
    "立法會",
    "ＣＯＶＩＤ",
    "Ⅻ",
    "e\u{301}",
    "\u{202e}",
    "😀",
    "ｶﾀｶﾅ",
];

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![4 => prop::sample::select(PIECES).prop_map(str::to_string), 1 => any::<char>().prop_map(String::from)];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// A post file: front matter made of pieces, then a body made of pieces, sometimes with
/// bytes that are not UTF-8.
fn post_file() -> impl Strategy<Value = SourceFile> {
    let name =
        prop::sample::select(&["2020-03-09-a.md", "b.html", "2021-01-01-c.txt", "d.markdown", "e.htm", "f.png"][..]);
    let bytes = (text(), text(), prop::collection::vec(any::<u8>(), 0..4), any::<bool>()).prop_map(
        |(front, body, junk, fenced)| {
            let mut bytes =
                if fenced { format!("---\ntitle: t\n{front}\n---\n{body}") } else { format!("{front}{body}") }
                    .into_bytes();
            bytes.extend(junk);
            bytes
        },
    );
    (name, bytes).prop_map(|(name, bytes)| SourceFile { path: name.to_string(), bytes })
}

/// `bytes` with a few changes: bytes overwritten, pieces inserted, the end cut off.
fn mutated(bytes: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = bytes.len().max(1);
    let edit = prop_oneof![
        (0..len, any::<u8>()).prop_map(|(at, b)| Edit::Set(at, b)),
        (0..len, prop::sample::select(PIECES)).prop_map(|(at, piece)| Edit::Insert(at, piece)),
        (0..len).prop_map(Edit::Cut),
    ];
    prop::collection::vec(edit, 1..4).prop_map(move |edits| {
        let mut bytes = bytes.clone();
        for edit in edits {
            match edit {
                Edit::Set(at, b) if at < bytes.len() => bytes[at] = b,
                Edit::Insert(at, piece) if at <= bytes.len() => {
                    bytes.splice(at..at, piece.bytes());
                }
                Edit::Cut(at) => bytes.truncate(at),
                _ => {}
            }
        }
        bytes
    })
}

#[derive(Clone, Debug)]
enum Edit {
    Set(usize, u8),
    Insert(usize, &'static str),
    Cut(usize),
}

/// The real-looking posts of this repository: every test fixture and demo post.
fn fixture_posts() -> &'static [SourceFile] {
    static POSTS: OnceLock<Vec<SourceFile>> = OnceLock::new();
    POSTS.get_or_init(|| {
        let root = common::manifest_dir();
        let mut posts = common::read_posts(&root.join("tests/data/posts"));
        posts.extend(common::read_posts(&root.join("demo/posts")));
        posts
    })
}

/// A manifest and the files it names, as (path, bytes).
type Sharded = (Manifest, Vec<(String, Vec<u8>)>);

/// The demo posts as a sharded archive, cut small so that there are files of every kind.
fn demo_sharded() -> &'static Sharded {
    static SHARDED: OnceLock<Sharded> = OnceLock::new();
    SHARDED.get_or_init(|| {
        let posts = common::read_posts(&common::manifest_dir().join("demo/posts"));
        let archive = build_archive(&posts, "2026-01-01T00:00:00Z").archive;
        let mut files = Vec::new();
        let cuts = Cuts {
            part_rank: 2,
            segment_ranks: &[3, 4, 5, 6],
            details_bytes: 4096,
            bucket_bytes: 2048,
            bucket_full_posts: 64,
            head_posts: 5,
        };
        let manifest = shard(&archive, cuts, |file| {
            // Buckets as encoded: the fuzzing is of the decoder, not of gzip's checksum.
            let bytes = if file.path.ends_with(".bin") { gunzip(&file.bytes).unwrap() } else { file.bytes };
            files.push((file.path, bytes));
            Ok::<_, ()>(())
        })
        .unwrap();
        (manifest, files)
    })
}

/// Every details file the demo's part lists name.
fn details_files() -> &'static [Shard] {
    static DETAILS: OnceLock<Vec<Shard>> = OnceLock::new();
    DETAILS.get_or_init(|| {
        let (manifest, files) = demo_sharded();
        let list = |path: &str| files.iter().find(|(p, _)| p == path).map(|(_, bytes)| bytes).unwrap();
        manifest.parts.iter().flat_map(|p| serde_json::from_slice::<PartList>(list(&p.file)).unwrap().details).collect()
    })
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() })
}

/// The builder's promises, for any files.
fn check_build(files: &[SourceFile]) -> Result<(), TestCaseError> {
    let output = build_archive(files, "2026-01-01T00:00:00Z");
    let c = output.archive.counts;
    prop_assert_eq!(c.read as usize, files.len());
    prop_assert_eq!(c.archived + c.skipped + c.merged, c.read);
    prop_assert_eq!(output.archive.articles.len(), c.archived as usize);
    for body in &output.archive.bodies {
        prop_assert_eq!(&sanitize(body, Images::Allowed), body, "stored bodies are sanitizer output");
        prop_assert_eq!(harmless::problem(body), None, "in {:?}", body);
        let blocked = sanitize(body, Images::Blocked);
        prop_assert_eq!(&sanitize(&blocked, Images::Blocked), &blocked);
    }
    // The archive always reads back.
    let json = output.archive.to_json();
    let back = Archive::parse(ARCHIVE_FILE, json.as_bytes());
    prop_assert_eq!(back.as_ref().ok(), Some(&output.archive));
    Ok(())
}

#[test]
fn the_front_matter_reader_takes_any_text() {
    runner(20_000)
        .run(&(text(), any::<bool>()), |(text, fenced)| {
            let text = if fenced { format!("---\n{text}\n---\nbody") } else { text };
            let mut warnings = Vec::new();
            if let Ok(split) = frontmatter::split(&text, &mut warnings) {
                let _ = frontmatter::parse(split.yaml, 2);
                prop_assert!(split.body_line >= 2);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_builder_takes_any_files_and_loses_none() {
    runner(5_000).run(&prop::collection::vec(post_file(), 1..4), |files| check_build(&files)).unwrap();
}

#[test]
fn the_builder_takes_mutated_real_posts_and_loses_none() {
    let posts = fixture_posts();
    let strategy = (0..posts.len()).prop_flat_map(|i| {
        let path = posts[i].path.clone();
        mutated(posts[i].bytes.clone()).prop_map(move |bytes| SourceFile { path: path.clone(), bytes })
    });
    runner(5_000).run(&strategy, |file| check_build(&[file])).unwrap();
}

#[test]
fn the_sanitizer_is_idempotent_and_harmless_on_any_markup() {
    runner(10_000)
        .run(&text(), |html| {
            for images in [Images::Allowed, Images::Blocked] {
                let once = sanitize(&html, images);
                prop_assert_eq!(&sanitize(&once, images), &once);
                prop_assert_eq!(harmless::problem(&once), None, "from {:?}", html);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn archive_json_of_any_bytes_is_read_or_refused() {
    let golden = std::fs::read(common::manifest_dir().join("tests/data/golden/demo-archive.json")).unwrap();
    let manifest = demo_sharded().0.to_json().into_bytes();
    let strategy = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        text().prop_map(String::into_bytes),
        mutated(golden),
        mutated(manifest),
    ];
    runner(10_000)
        .run(&strategy, |bytes| {
            if let Err(error) = ArchiveFile::parse(ARCHIVE_FILE, &bytes) {
                prop_assert_eq!(error.file(), ARCHIVE_FILE);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn shards_of_any_bytes_are_read_or_refused_by_name() {
    let (manifest, files) = demo_sharded();
    let strategy = (0..files.len()).prop_flat_map(|i| (Just(i), mutated(files[i].1.clone())));
    runner(10_000)
        .run(&strategy, |(i, bytes)| {
            let file = &files[i].0;
            if let Some(part) = manifest.parts.iter().find(|p| &p.file == file) {
                if let Err(error) = part_list(part, &bytes) {
                    prop_assert_eq!(error.file(), file.as_str());
                }
            } else if let Some(shard) = details_files().iter().find(|s| &s.file == file).cloned() {
                if let Err(error) = details_shard(&shard, &bytes) {
                    prop_assert_eq!(error.file(), file.as_str());
                }
            } else {
                // A search bucket: its directory, then every posting in it, then queries over it.
                match search_bucket(file, &gzip(&bytes)) {
                    Err(error) => prop_assert_eq!(error.file(), file.as_str()),
                    Ok(bucket) => {
                        for q in ["台湾", "立法会", "typhoon", "t", "x -y", "\"sea wall\""] {
                            let query = Query::parse(q);
                            let _ = search(&query, manifest.counts.archived, |_| bucket.posting(term_keys("x")[0].key));
                            for term in &query.include {
                                for key in term_keys(&term.folded) {
                                    let _ = decode_followed_by(key.key, key.next, bucket.posting(key.key));
                                    let _ = search(&query, manifest.counts.archived, |k| bucket.posting(k));
                                }
                            }
                        }
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_search_box_and_url_fragment_is_read_and_marks_stay_in_bounds() {
    runner(20_000)
        .run(&(text(), text(), 0usize..200), |(typed, haystack, width)| {
            let query = Query::parse(&typed);
            let _ = Route::parse(&typed);
            let route = Route::parse(&format!("#/a/{typed}?q={typed}&tag={typed}&from={typed}"));
            prop_assert_eq!(Route::parse(&route.to_hash()), route);
            for range in highlights(&haystack, &query) {
                prop_assert!(haystack.is_char_boundary(range.start) && haystack.is_char_boundary(range.end));
                prop_assert!(range.start < range.end);
            }
            if let Some(snippet) = snippet(&haystack, &query, width) {
                for range in &snippet.marks {
                    prop_assert!(snippet.text.get(range.clone()).is_some());
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn conversion_tables_of_any_bytes_are_read_or_refused_and_convert_any_text() {
    let table =
        table_from_opencc("发\t發 髮\n头\t頭\n干\t幹 乾\n后\t後\n", "头发\t頭髮\n太后\t太后\n干燥\t乾燥\n公斤\t㎏\n")
            .unwrap()
            .into_bytes();
    let strategy = (prop_oneof![mutated(table), text().prop_map(String::into_bytes)], text());
    runner(10_000)
        .run(&strategy, |(bytes, text)| {
            if let Ok(to) = ToTraditional::from_bytes(&bytes) {
                let _ = to.convert(&text);
            }
            let _ = newsreader::convert::to_simplified(&text);
            Ok(())
        })
        .unwrap();
}

#[test]
fn reading_state_files_of_any_bytes_are_read_or_refused_and_read_back() {
    let mut state = ReadingState::new();
    state.mark_all_read(["1b3367d4cc11447e", "a0", "ff"]);
    state.set_starred("a0", true, 1_767_225_600);
    let strategy = prop_oneof![mutated(state.to_json(5).into_bytes()), text().prop_map(String::into_bytes)];
    runner(10_000)
        .run(&strategy, |bytes| {
            if let Ok(read) = ReadingState::from_json(&bytes) {
                prop_assert_eq!(ReadingState::from_json(read.to_json(0).as_bytes()), Ok(read));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_days_make_ordered_bins_and_any_date_inputs_an_ordered_range() {
    let day = prop_oneof![any::<i32>(), -800_000..3_000_000i32, 18_000..21_000i32];
    let zoom = prop_oneof![
        Just(Zoom::Years),
        any::<i32>().prop_map(|year| Zoom::Months { year }),
        (1900..2100i32, any::<i32>()).prop_map(|(year, month)| Zoom::Days { year, month: month % 14 }),
    ];
    let input =
        prop_oneof![text(), (0..10_000u32, 0..14u32, 0..33u32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))];
    let strategy = (prop::collection::vec(day.clone(), 0..8), zoom, input.clone(), input, (day.clone(), day));
    runner(2_000)
        .run(&strategy, |(days, zoom, from, to, bounds)| {
            let shown = bins(days.iter().copied(), zoom);
            prop_assert!(shown.windows(2).all(|w| w[0].last < w[1].first));
            prop_assert!(shown.iter().all(|b| b.first <= b.last));
            let _ = bins(days.iter().copied(), natural_zoom(span(days.iter().copied())));
            let range = check_range(Some(&from), Some(&to), Some(bounds));
            if let (Some(from), Some(to)) = (range.from, range.to) {
                prop_assert!(from <= to);
            }
            Ok(())
        })
        .unwrap();
}
