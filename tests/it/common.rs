//! Helpers shared by the integration tests: reading post folders and finding the
//! real corpora in `../shared`, which tests skip (with a message) when it is absent,
//! unless `CI` is set.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use newsreader::builder::SourceFile;

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.<ext>` file under `dir`, relative to the repository root, sorted.
pub fn files_under(dir: &str, ext: &str) -> Vec<String> {
    let root = manifest_dir();
    let mut found = Vec::new();
    let mut stack = vec![root.join(dir)];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                found.push(path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// `newsarchive ARGS`, as a user runs it (with `SOURCE_DATE_EPOCH` fixed, so that two
/// builds of the same posts compare byte for byte).
pub fn newsarchive(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newsarchive"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1764115200")
        .output()
        .expect("newsarchive runs")
}

/// An empty folder `group/name` under the test target's scratch space.
pub fn scratch(group: &str, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(group).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir`, sorted, with paths relative to `dir` (as the CLI would see them from there).
pub fn read_posts(dir: &Path) -> Vec<SourceFile> {
    read_posts_as(dir, "")
}

/// Like [`read_posts`], with `label/` in front of every path, for reading several folders into one build.
pub fn read_posts_as(dir: &Path, label: &str) -> Vec<SourceFile> {
    files_below(dir)
        .into_iter()
        .map(|path| SourceFile {
            path: format!("{label}{}", path.strip_prefix(dir).unwrap().display()),
            bytes: fs::read(&path).unwrap(),
        })
        .collect()
}

/// Every file under `dir`, at any depth, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

/// `../shared`, or `None` after saying why the calling test is skipped. Under CI (the
/// `CI` variable set, as `make test` and CI runners set it) a missing `../shared` fails
/// the test instead: there, skipping would pass without testing anything.
/// `NEWSREADER_SHARED` names another folder instead.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let shared = std::env::var_os("NEWSREADER_SHARED").map_or_else(|| manifest_dir().join("../shared"), PathBuf::from);
    if shared.join("corpus").is_dir() {
        return Some(shared);
    }
    let why = format!("{test}: {}/corpus is not there", shared.display());
    assert!(std::env::var_os("CI").is_none_or(|ci| ci.is_empty()), "{why}, and CI is set: the corpus tests must run");
    eprintln!("SKIPPED {why} (CI always has it)");
    None
}

/// The real corpora unpacked once per target dir: `<tmp>/corpus/{news0,news1-bbc-asahi}` plus the seed.
pub fn unpacked_corpus(test: &str) -> Option<Vec<PathBuf>> {
    static UNPACKED: std::sync::OnceLock<Option<Vec<PathBuf>>> = std::sync::OnceLock::new();
    UNPACKED.get_or_init(|| unpack(test)).clone()
}

fn unpack(test: &str) -> Option<Vec<PathBuf>> {
    let shared = shared_dir(test)?;
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus");
    if !target.join(".complete").exists() {
        // Unpack beside, then rename: test binaries running in parallel never see half a corpus.
        let partial = target.with_extension(format!("partial-{}", std::process::id()));
        fs::create_dir_all(&partial).unwrap();
        for archive in ["news0.tar.gz", "news1-bbc-asahi.tar.gz"] {
            let status = Command::new("tar")
                .arg("-xzf")
                .arg(shared.join("corpus").join(archive))
                .arg("-C")
                .arg(&partial)
                .status()
                .expect("tar runs");
            assert!(status.success(), "unpacking {archive} failed");
        }
        fs::write(partial.join(".complete"), "").unwrap();
        if fs::rename(&partial, &target).is_err() {
            let _ = fs::remove_dir_all(&partial);
        }
    }
    Some(vec![shared.join("corpus/seed"), target.join("news0"), target.join("news1-bbc-asahi")])
}
