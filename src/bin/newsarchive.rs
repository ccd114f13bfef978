//! `newsarchive`: builds the reader's archive from folders of Jekyll-style posts.
//! All file-system work happens here; the pipeline itself is `newsreader::builder`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use rayon::prelude::*;

use newsreader::archive::read::SegmentIndex;
use newsreader::archive::read::{read_whole, Whole};
use newsreader::archive::Archive;
use newsreader::builder::index::IndexBuilder;
use newsreader::builder::shard::{self, Cuts};
use newsreader::builder::{build_archive_from, Severity};
use newsreader::search::bucket::{posting_in, Bucket};
use newsreader::search::{search_segments, Query};
use newsreader::text::html_to_text;

#[derive(Parser)]
#[command(version, about = "Builds the news reader's archive from folders of Jekyll-style posts")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LayoutChoice {
    Auto,
    Single,
    Sharded,
}

/// Above this many posts, `auto` shards: a single file would keep growing past what a
/// browser should download before showing anything.
const SINGLE_LAYOUT_MAX_POSTS: u32 = 1_000;

#[derive(Subcommand)]
enum Command {
    /// Read every post under the given folders and write OUT/archive.json and OUT/diagnostics.json.
    ///
    /// Posts are .md, .markdown, .html, .htm and .txt files that start with YAML front
    /// matter; folders are read recursively, hidden ones skipped. Every file read is
    /// either archived, merged into a duplicate, or listed in diagnostics.json.
    Build {
        /// Folders (or single files) of posts.
        #[arg(required = true)]
        posts: Vec<PathBuf>,
        /// Where to write archive.json and diagnostics.json (created if missing).
        #[arg(short, long)]
        out: PathBuf,
        /// Exit with status 2 if any file was skipped.
        #[arg(long)]
        strict: bool,
        /// Also print every diagnostic to stderr.
        #[arg(short, long)]
        verbose: bool,
        /// One archive.json, or a manifest plus shards fetched on demand; `auto` shards
        /// archives of more than 1,000 posts.
        #[arg(long, value_enum, default_value_t = LayoutChoice::Auto)]
        layout: LayoutChoice,
        /// Cut into many small files whatever the archive's size (for tests of the reader
        /// on a few dozen posts).
        #[arg(long, hide = true)]
        tiny_cuts: bool,
    },
    /// Answer queries from a built archive (either layout), as JSON `{"query": [ids…]}`:
    /// from its search index, or with --oracle by scanning every post's folded text.
    Query {
        /// The folder holding archive.json.
        archive: PathBuf,
        /// Brute force instead of the index: the reference the index must equal.
        #[arg(long)]
        oracle: bool,
        #[arg(required = true)]
        queries: Vec<String>,
    },
    /// Write COUNT synthetic posts into OUT, recombined from the posts of an existing
    /// archive (new URLs and dates, Traditional/Simplified mixed), for testing at scale.
    /// The same archive, count and seed always give the same files.
    Generate {
        /// An archive.json to take titles and bodies from.
        #[arg(long)]
        from: PathBuf,
        #[arg(long, default_value_t = 250_000)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder to write the posts into (created if missing).
        #[arg(short, long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("newsarchive: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build { posts, out, strict, verbose, layout, tiny_cuts } => {
            let cuts = if tiny_cuts { TINY_CUTS } else { Cuts::default() };
            build(&posts, &out, strict, verbose, layout, cuts)
        }
        Command::Generate { from, count, seed, out } => generate(&from, count, seed, &out),
        Command::Query { archive, oracle, queries } => query(&archive, oracle, &queries),
    }
}

fn generate(from: &Path, count: usize, seed: u64, out: &Path) -> Result<ExitCode> {
    let started = Instant::now();
    let bytes = fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    let source = Archive::parse(&from.display().to_string(), &bytes).with_context(|| {
        format!("{} is not a readable single-layout archive (build it with --layout single)", from.display())
    })?;
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for post in newsreader::builder::generate::generate(&source, count, seed)? {
        let post = post?;
        let path = out.join(&post.file_name);
        fs::write(&path, post.contents).with_context(|| format!("cannot write {}", path.display()))?;
    }
    print_line(&format!(
        "generated {count} posts from {} in {:.2} s -> {}",
        from.display(),
        started.elapsed().as_secs_f64(),
        out.display()
    ))
}

/// Parts of ~4 posts, segments of ~8 to ~64, small files: a demo of forty posts then has
/// every kind of file several times.
const TINY_CUTS: Cuts = Cuts {
    part_rank: 2,
    segment_ranks: &[3, 4, 5, 6],
    details_bytes: 2048,
    bucket_bytes: 1024,
    bucket_full_posts: 64,
    head_posts: 8,
};

fn build(
    posts: &[PathBuf],
    out: &Path,
    strict: bool,
    verbose: bool,
    layout: LayoutChoice,
    cuts: Cuts,
) -> Result<ExitCode> {
    let started = Instant::now();
    let mut paths = Vec::new();
    for root in posts {
        collect(root, &mut paths).with_context(|| format!("cannot read {}", root.display()))?;
    }
    paths.sort();
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    // Each file is read as it is parsed: all of them at once would double the peak memory.
    let output = build_archive_from(&names, |i| fs::read(&paths[i]).map_err(|e| e.to_string()), &generated_at());
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let c = output.archive.counts;
    let sharded = match layout {
        LayoutChoice::Auto => c.archived > SINGLE_LAYOUT_MAX_POSTS,
        LayoutChoice::Single => false,
        LayoutChoice::Sharded => true,
    };
    write(&out.join("diagnostics.json"), serde_json::to_string_pretty(&output.diagnostics)?.as_bytes())?;
    // Shards first, each as soon as it is made: their names are their hashes, so one that
    // exists already is right, and the manifest that refers to them is replaced last.
    let mut shards = 0;
    let manifest = if sharded {
        // Written a batch at a time on every core; a few thousand small files one by one
        // would take as long as building them.
        let mut pending: Vec<shard::OutputFile> = Vec::new();
        let flush = |pending: &mut Vec<shard::OutputFile>| pending.par_drain(..).try_for_each(|f| write_shard(out, &f));
        let manifest = shard::shard(output.archive, cuts, |file| {
            shards += 1;
            pending.push(file);
            if pending.len() >= 256 {
                flush(&mut pending)?;
            }
            Ok::<_, anyhow::Error>(())
        })?;
        flush(&mut pending)?;
        manifest.to_json()
    } else {
        output.archive.to_json()
    };
    write(&out.join("archive.json"), manifest.as_bytes())?;

    if verbose {
        for d in &output.diagnostics {
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            eprintln!("{}{line}: {:?}: {}", d.file, d.severity, d.reason);
        }
    }
    let summary = format!(
        "read {}, archived {}, skipped {}, merged {} in {:.2} s ({:.0} posts/s) -> {}{}",
        c.read,
        c.archived,
        c.skipped,
        c.merged,
        started.elapsed().as_secs_f64(),
        f64::from(c.read) / started.elapsed().as_secs_f64(),
        out.join("archive.json").display(),
        if sharded { format!(" + {shards} shards") } else { String::new() }
    );
    print_line(&summary)?;
    let skipped = output.diagnostics.iter().any(|d| d.severity == Severity::Skipped);
    Ok(if strict && skipped { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// Every regular file under `root`, skipping hidden files and folders (`.git`, `.DS_Store`).
/// Symbolic links are followed (a folder of links to posts is a folder of posts); a link
/// loop is an error that names it.
fn collect(root: &Path, paths: &mut Vec<PathBuf>) -> Result<()> {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry?;
        if entry.file_type().is_file() {
            paths.push(entry.into_path());
        }
    }
    Ok(())
}

/// A shard under `out`, unless it is there already: its name is its hash, so it is the same.
fn write_shard(out: &Path, file: &shard::OutputFile) -> Result<()> {
    let path = out.join(&file.path);
    if path.exists() {
        return Ok(());
    }
    fs::create_dir_all(path.parent().expect("shard paths have a folder"))?;
    write(&path, &file.bytes)
}

/// Writes through a temporary file so a reader never sees half an archive.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = path.with_extension("tmp");
    fs::write(&temporary, bytes).with_context(|| format!("cannot write {}", temporary.display()))?;
    fs::rename(&temporary, path).with_context(|| format!("cannot write {}", path.display()))
}

/// Now, or `SOURCE_DATE_EPOCH` for reproducible builds.
fn generated_at() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(chrono::Utc::now);
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An archive read back from `folder`, whichever its layout, with a search index:
/// a single-layout archive has none, so one is built here, as one segment.
fn load(folder: &Path) -> Result<(Whole, Vec<SegmentIndex>)> {
    let mut whole = read_whole(|file| fs::read(folder.join(file)))?;
    let index = match whole.index.take() {
        Some(index) => index,
        None => {
            let texts: Vec<String> = whole.details.par_iter().map(|d| html_to_text(&d.body)).collect();
            let titles = whole.catalog.entries.iter().map(|e| &*e.title);
            let posts: Vec<(&str, &str)> = titles.zip(texts.iter().map(String::as_str)).collect();
            let mut builder = IndexBuilder::new();
            builder.add_all(&posts);
            let buckets = builder.finish(Cuts::default().bucket_bytes);
            let buckets = buckets.into_iter().map(Bucket::parse).collect::<Result<_, _>>()?;
            vec![SegmentIndex { docs: posts.len() as u32, buckets }]
        }
    };
    Ok((whole, index))
}

fn query(folder: &Path, oracle: bool, queries: &[String]) -> Result<ExitCode> {
    let (whole, index) = load(folder)?;
    let entries = &whole.catalog.entries;
    let scan = oracle.then(|| whole.scan());
    let mut answers = serde_json::Map::new();
    for q in queries {
        let parsed = Query::parse(q);
        let hits = match &scan {
            Some(scan) => scan.search(&parsed),
            None => {
                let docs: Vec<u32> = index.iter().map(|s| s.docs).collect();
                search_segments(&parsed, &docs, |s, key| posting_in(&index[s].buckets, key))?
            }
        };
        let ids = hits.into_iter().map(|hit| serde_json::Value::from(&*entries[hit.doc as usize].id)).collect();
        answers.insert(q.clone(), serde_json::Value::Array(ids));
    }
    print_line(&serde_json::Value::Object(answers).to_string())
}

/// Prints one line to stdout. A reader that stops early (`| head`) is not an error: the
/// command ends quietly and successfully, as `cat` does.
fn print_line(line: &str) -> Result<ExitCode> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}
