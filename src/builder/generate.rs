//! Large, realistic test corpora from a real one, deterministically: every generated
//! post recombines real posts (title and body of one, a paragraph of another), with a
//! new URL, a new date, and each part independently in Traditional or Simplified script.
//! The same archive, count and seed always give the same bytes.

use std::collections::HashSet;

use chrono::DateTime;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use xxhash_rust::xxh3::xxh3_64;

use crate::archive::Archive;

/// 2019-01-01 to 2026-12-31, UTC.
const FIRST_TS: i64 = 1_546_300_800;
const LAST_TS: i64 = 1_798_675_199;

/// One generated post file.
pub struct GeneratedPost {
    /// `YYYY-MM-DD-generated-<n>.html`.
    pub file_name: String,
    /// Front matter and body.
    pub contents: String,
}

/// Why the posts asked for cannot be made from the archive given.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GenerateError {
    /// Recombining needs two different posts.
    #[error("the source archive has {0} article(s); generating posts needs at least two")]
    TooFewArticles(usize),
    /// Every combination tried was one made already.
    #[error("the source archive is too small for {count} distinct posts: {made} were made before the generator ran out of new combinations")]
    TooSmall {
        /// Posts asked for.
        count: usize,
        /// Posts made.
        made: usize,
    },
}

fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    ((u128::from(rng.next_u64()) * u128::from(n)) >> 64) as u64
}

fn script(text: &str, simplified: bool) -> String {
    if simplified {
        fast2s::convert(text)
    } else {
        text.to_string()
    }
}

fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialise")
}

/// `count` posts made from `source`, one at a time.
pub fn generate(
    source: &Archive,
    count: usize,
    seed: u64,
) -> Result<impl Iterator<Item = Result<GeneratedPost, GenerateError>> + '_, GenerateError> {
    if source.articles.len() < 2 {
        return Err(GenerateError::TooFewArticles(source.articles.len()));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut used = HashSet::new();
    let n = source.articles.len() as u64;
    Ok((0..count).map(move |i| {
        // Draw until the title and text differ from every earlier post, so the builder
        // has nothing to merge and the generated count is the archived count.
        let mut attempts = 0;
        let (a, title, body) = loop {
            attempts += 1;
            if attempts > 10_000 {
                return Err(GenerateError::TooSmall { count, made: i });
            }
            let (a, b, flags) = (below(&mut rng, n) as usize, below(&mut rng, n) as usize, below(&mut rng, 4));
            let extra = source.bodies[b].split("</p>").next().filter(|p| p.contains("<p>")).map(|p| format!("{p}</p>"));
            let title = script(&source.articles[a].title, flags & 1 == 1);
            let body = script(&format!("{}{}", source.bodies[a], extra.unwrap_or_default()), flags & 2 == 2);
            if a != b && used.insert(xxh3_64(format!("{title}\0{body}").as_bytes())) {
                break (a, title, body);
            }
        };
        let ts = FIRST_TS + below(&mut rng, (LAST_TS - FIRST_TS) as u64) as i64;
        let date = DateTime::from_timestamp(ts, 0).expect("in range").format("%Y-%m-%d %H:%M:%S +00:00");
        let article = &source.articles[a];
        let list = |items: &[String]| format!("[{}]", items.iter().map(|s| yaml_string(s)).collect::<Vec<_>>().join(", "));
        let contents = format!(
            "---\nlayout: post\ntitle: {}\ndate: {date}\nauthor: {}\nfrom: https://generated.example/{seed}/{i}\ntags: {}\ncategories: {}\n---\n{}\n",
            yaml_string(&title),
            yaml_string(&article.source),
            list(&article.tags),
            list(&article.categories),
            body,
        );
        Ok(GeneratedPost { file_name: format!("{}-generated-{i}.html", &date.to_string()[..10]), contents })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{build_archive, SourceFile};

    fn source() -> Archive {
        let posts = [
            (
                "2026-01-01-a.md",
                "---\ntitle: 臺灣國際新聞\ndate: 2026-01-01\nauthor: CNA\ntags: [a]\n---\n第一段。\n\n第二段。\n",
            ),
            ("2026-01-02-b.md", "---\ntitle: Harbour news\ndate: 2026-01-02\ncategories: news\n---\nOne.\n\nTwo.\n"),
            ("2026-01-03-c.md", "---\ntitle: 立法會\ndate: 2026-01-03\n---\n會議。\n"),
        ];
        let files: Vec<SourceFile> =
            posts.iter().map(|(p, t)| SourceFile { path: p.to_string(), bytes: t.as_bytes().to_vec() }).collect();
        build_archive(&files, "2026-01-01T00:00:00Z").archive
    }

    #[test]
    fn the_same_seed_gives_the_same_posts_and_another_seed_others() {
        let source = source();
        let run = |seed| generate(&source, 5, seed).unwrap().map(|p| p.unwrap().contents).collect::<Vec<_>>();
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn generated_posts_build_without_loss_or_duplicates_and_mix_scripts() {
        let source = source();
        let files: Vec<SourceFile> = generate(&source, 6, 1)
            .unwrap()
            .map(|p| p.unwrap())
            .map(|p| SourceFile { path: p.file_name, bytes: p.contents.into_bytes() })
            .collect();
        let output = build_archive(&files, "2026-01-01T00:00:00Z");
        assert_eq!(output.archive.counts.archived, 6, "{:?}", output.diagnostics);
        assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
        let titles: Vec<&str> = output.archive.articles.iter().map(|a| a.title.as_str()).collect();
        assert!(
            titles.iter().all(|t| ["臺灣國際新聞", "台湾国际新闻", "Harbour news", "立法會", "立法会"].contains(t)),
            "{titles:?}"
        );
    }

    #[test]
    fn too_small_a_source_is_an_error_not_a_panic() {
        let mut one = source();
        one.articles.truncate(1);
        one.bodies.truncate(1);
        assert_eq!(generate(&one, 5, 1).err(), Some(GenerateError::TooFewArticles(1)));
        let mut two = source();
        two.articles.truncate(2);
        two.bodies.truncate(2);
        // Two articles make a handful of distinct recombinations, not a thousand.
        let error = generate(&two, 1000, 1).unwrap().find_map(Result::err).unwrap();
        assert!(matches!(error, GenerateError::TooSmall { count: 1000, .. }), "{error}");
    }
}
