//! The build cache: a rebuild reads only new or changed posts and rebuilds only the files
//! that hold them, and writes exactly what a clean build writes; a cache that cannot be
//! trusted is ignored with a warning.

use crate::common;

use std::path::{Path, PathBuf};

use crate::common::newsarchive;

fn fresh(name: &str) -> PathBuf {
    common::scratch("incremental", name)
}

/// Builds `posts` into `out`, sharded into many small files; returns stdout and stderr.
fn build(posts: &Path, out: &Path, extra: &[&str]) -> (String, String) {
    let args = ["build", posts.to_str().unwrap(), "-o", out.to_str().unwrap(), "--layout", "sharded", "--tiny-cuts"];
    let output = newsarchive(&[&args[..], extra].concat());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

/// archive.json, diagnostics.json and every file the archive names, with their bytes.
fn written(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![("diagnostics.json".to_string(), std::fs::read(out.join("diagnostics.json")).unwrap())];
    newsreader::archive::read::read_whole(|name| {
        let bytes = std::fs::read(out.join(name))?;
        files.push((name.to_string(), bytes.clone()));
        Ok(bytes)
    })
    .unwrap();
    files.sort();
    files
}

/// A clean build of `posts`, as the reference.
fn clean(posts: &Path, name: &str) -> Vec<(String, Vec<u8>)> {
    let out = fresh(name);
    build(posts, &out, &["--no-cache"]);
    written(&out)
}

/// The summary's "N files read, M cleaned" as (N, M).
fn files_read(stdout: &str) -> (usize, usize) {
    let (_, after) = stdout.split_once(".newsarchive-cache, ").unwrap_or_else(|| panic!("no cache in {stdout}"));
    let (read, rest) = after.split_once(" files read, ").unwrap();
    (read.parse().unwrap(), rest.split_once(" cleaned").unwrap().0.parse().unwrap())
}

/// A fresh folder `name` with an empty `posts/` in it, the demo's posts folder, and the
/// names of the demo's posts in order.
fn demo_case(name: &str) -> (PathBuf, PathBuf, PathBuf, Vec<std::ffi::OsString>) {
    let demo = common::manifest_dir().join("demo/posts");
    let root = fresh(name);
    let posts = root.join("posts");
    std::fs::create_dir_all(&posts).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(&demo).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    (root, posts, demo, names)
}

#[test]
fn an_incremental_build_writes_what_a_clean_one_writes_and_reads_only_what_changed() {
    let (root, posts, demo, names) = demo_case("case");
    let (older, newest) = names.split_at(names.len() - 3);
    for name in older {
        std::fs::copy(demo.join(name), posts.join(name)).unwrap();
    }
    let out = root.join("archive");
    let (first, _) = build(&posts, &out, &[]);
    assert_eq!(files_read(&first), (older.len(), older.len()), "the first build reads everything: {first}");
    assert!(root.join("archive.newsarchive-cache").is_file(), "the cache is beside the output, not in it");

    // Three new posts: only they are read, and the output is a clean build's.
    for name in newest {
        std::fs::copy(demo.join(name), posts.join(name)).unwrap();
    }
    let (added, stderr) = build(&posts, &out, &["--verbose"]);
    assert_eq!(files_read(&added), (3, 3), "{added}");
    assert!(stderr.contains("parts and segments kept"), "{stderr}");
    assert_eq!(written(&out), clean(&posts, "clean-added"));

    // An old post edited: it alone is read again.
    let edited = posts.join(&older[0]);
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replacen("\n\n", "\n\nAn added sentence.\n\n", 1)).unwrap();
    let (after_edit, _) = build(&posts, &out, &[]);
    assert_eq!(files_read(&after_edit), (1, 1), "{after_edit}");
    assert_eq!(written(&out), clean(&posts, "clean-edited"));

    // Nothing changed: nothing read, the same bytes.
    let (again, _) = build(&posts, &out, &[]);
    assert_eq!(files_read(&again), (0, 0), "{again}");
    assert_eq!(written(&out), clean(&posts, "clean-same"));

    // A fresh checkout: every file has a new time but the same bytes. All are read, none
    // cleaned, and the output is the same.
    let all: Vec<_> = std::fs::read_dir(&posts).unwrap().map(|e| e.unwrap().path()).collect();
    for path in &all {
        let file = std::fs::File::options().append(true).open(path).unwrap();
        file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60)).unwrap();
    }
    let (checkout, _) = build(&posts, &out, &[]);
    assert_eq!(files_read(&checkout), (all.len(), 0), "{checkout}");
    assert_eq!(written(&out), clean(&posts, "clean-checkout"));
}

#[test]
fn a_corrupt_or_foreign_cache_is_ignored_with_a_warning() {
    let posts = common::manifest_dir().join("demo/posts");
    let root = fresh("untrusted");
    let out = root.join("archive");
    let cache = root.join("archive.newsarchive-cache");
    let reference = clean(&posts, "clean-untrusted");

    build(&posts, &out, &[]);
    let mut bytes = std::fs::read(&cache).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&cache, &bytes).unwrap();
    let (stdout, stderr) = build(&posts, &out, &[]);
    assert!(stderr.contains(&format!("warning: ignoring the build cache {}", cache.display())), "{stderr}");
    assert_eq!(files_read(&stdout), (44, 44), "everything is read and cleaned again");
    assert_eq!(written(&out), reference);

    // A cache damaged in the middle still decodes, perhaps; its checksum does not hold.
    build(&posts, &out, &[]);
    let mut bytes = std::fs::read(&cache).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    std::fs::write(&cache, &bytes).unwrap();
    let (stdout, stderr) = build(&posts, &out, &[]);
    assert!(stderr.contains("warning: ignoring the build cache") && stderr.contains("damaged"), "{stderr}");
    assert_eq!(files_read(&stdout), (44, 44));
    assert_eq!(written(&out), reference);

    // A cache for other cuts (another builder's, in effect) is not trusted either.
    let other = root.join("other.newsarchive-cache");
    let other_out = root.join("other");
    let args = ["build", posts.to_str().unwrap(), "-o", other_out.to_str().unwrap(), "--layout", "sharded"];
    let output = newsarchive(&[&args[..], &["--cache", other.to_str().unwrap()]].concat());
    assert!(output.status.success());
    let (stdout, stderr) = build(&posts, &out, &["--cache", other.to_str().unwrap()]);
    assert!(stderr.contains("warning: ignoring the build cache") && stderr.contains("for other cuts"), "{stderr}");
    assert_eq!(files_read(&stdout), (44, 44));
    assert_eq!(written(&out), reference);

    // A cache whose output folder was emptied: its shards are not there to keep.
    std::fs::remove_dir_all(&out).unwrap();
    build(&posts, &out, &[]);
    assert_eq!(written(&out), reference);
}

#[test]
fn duplicates_of_posts_the_cache_knows_merge_as_in_a_clean_build() {
    let (root, posts, demo, names) = demo_case("duplicates");
    for name in &names {
        std::fs::copy(demo.join(name), posts.join(name)).unwrap();
    }
    let out = root.join("archive");
    build(&posts, &out, &[]);
    // A post without tags, so that a copy with a tag changes what it becomes.
    let original = names
        .iter()
        .map(|n| posts.join(n))
        .find(|p| !std::fs::read_to_string(p).unwrap().contains("\ntags:"))
        .expect("a demo post without tags");
    let text = std::fs::read_to_string(&original).unwrap();
    let extension = original.extension().unwrap().to_str().unwrap();

    // A copy that sorts after it, with a tag: the post the cache knows stays, and takes
    // the tag (so its files are written again, from the post read again).
    let tagged = text.replacen("---\n", "---\ntags: [copy-tag]\n", 1);
    std::fs::write(posts.join(format!("zz-copy.{extension}")), tagged).unwrap();
    let (stdout, _) = build(&posts, &out, &[]);
    assert_eq!(files_read(&stdout), (1, 1), "{stdout}");
    let diagnostics = std::fs::read_to_string(out.join("diagnostics.json")).unwrap();
    assert!(diagnostics.contains("zz-copy") && diagnostics.contains("merged"), "{diagnostics}");
    assert_eq!(written(&out), clean(&posts, "clean-tagged-copy"));

    // A copy that sorts first: now it stays, and both posts the cache knows fold into it.
    std::fs::write(posts.join(format!("00-copy.{extension}")), &text).unwrap();
    let (stdout, _) = build(&posts, &out, &[]);
    assert_eq!(files_read(&stdout), (1, 1), "{stdout}");
    assert_eq!(written(&out), clean(&posts, "clean-first-copy"));

    // And without it, the first post again.
    std::fs::remove_file(posts.join(format!("00-copy.{extension}"))).unwrap();
    let (stdout, _) = build(&posts, &out, &[]);
    assert_eq!(files_read(&stdout), (0, 0), "{stdout}");
    assert_eq!(written(&out), clean(&posts, "clean-copy-removed"));
}

#[test]
fn a_file_an_interrupted_build_left_cut_short_is_written_again() {
    let demo = common::manifest_dir().join("demo/posts");
    let reference = clean(&demo, "whole");
    // As if a build had stopped while writing it: the name is right, the bytes are not all there.
    let out = fresh("interrupted");
    let (path, bytes) = reference.iter().find(|(p, _)| p.starts_with("details/")).unwrap();
    std::fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
    std::fs::write(out.join(path), &bytes[..bytes.len() / 2]).unwrap();
    build(&demo, &out, &[]);
    assert_eq!(written(&out), reference);
}
