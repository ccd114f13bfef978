//! `newsarchive`: builds the reader's archive from folders of Jekyll-style posts.
//! All file-system work happens here; the pipeline itself is `newsreader::build`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use rayon::prelude::*;

use newsreader::archive::Archive;
use newsreader::build::{build_archive, Severity, SourceFile};

#[derive(Parser)]
#[command(version, about = "Builds the news reader's archive from folders of Jekyll-style posts")]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        Command::Build { posts, out, strict, verbose } => build(&posts, &out, strict, verbose),
        Command::Generate { from, count, seed, out } => generate(&from, count, seed, &out),
    }
}

fn generate(from: &Path, count: usize, seed: u64, out: &Path) -> Result<ExitCode> {
    let started = Instant::now();
    let bytes = fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    let source = Archive::from_json(&bytes).with_context(|| format!("{} is not a readable archive", from.display()))?;
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for post in newsreader::build::generate::generate(&source, count, seed) {
        let path = out.join(&post.file_name);
        fs::write(&path, post.contents).with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!(
        "generated {count} posts from {} in {:.2} s -> {}",
        from.display(),
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn build(posts: &[PathBuf], out: &Path, strict: bool, verbose: bool) -> Result<ExitCode> {
    let started = Instant::now();
    let mut paths = Vec::new();
    for root in posts {
        collect(root, &mut paths).with_context(|| format!("cannot read {}", root.display()))?;
    }
    paths.sort();
    let files = paths
        .par_iter()
        .map(|path| {
            let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok(SourceFile { path: path.display().to_string(), bytes })
        })
        .collect::<Result<Vec<_>>>()?;

    let output = build_archive(&files, &generated_at());
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    write(&out.join("archive.json"), output.archive.to_json().as_bytes())?;
    write(&out.join("diagnostics.json"), serde_json::to_string_pretty(&output.diagnostics)?.as_bytes())?;

    if verbose {
        for d in &output.diagnostics {
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            eprintln!("{}{line}: {:?}: {}", d.file, d.severity, d.reason);
        }
    }
    let c = output.archive.counts;
    println!(
        "read {}, archived {}, skipped {}, merged {} in {:.2} s ({:.0} posts/s) -> {}",
        c.read,
        c.archived,
        c.skipped,
        c.merged,
        started.elapsed().as_secs_f64(),
        f64::from(c.read) / started.elapsed().as_secs_f64(),
        out.join("archive.json").display()
    );
    let skipped = output.diagnostics.iter().any(|d| d.severity == Severity::Skipped);
    Ok(if strict && skipped { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// Every regular file under `root`, skipping hidden files and folders (`.git`, `.DS_Store`).
fn collect(root: &Path, paths: &mut Vec<PathBuf>) -> Result<()> {
    let walker = walkdir::WalkDir::new(root)
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

/// Writes through a temporary file so a reader never sees half an archive.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = path.with_extension("json.tmp");
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
