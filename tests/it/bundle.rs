//! `newsarchive bundle` and `build --bundle`: the archive as one file, read back by the
//! same reader as a folder, and refused, with a reason, when it is damaged.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::newsarchive;

fn fresh(name: &str) -> PathBuf {
    common::scratch("bundle", name)
}

fn ok(output: Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// Every file under `dir`, relative, but archive's own extras (diagnostics.json).
fn archive_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|p| (p.strip_prefix(dir).unwrap().to_str().unwrap().to_string(), std::fs::read(&p).unwrap()))
        .filter(|(name, _)| name != "diagnostics.json")
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn sha256(bytes: &[u8]) -> newsreader::archive::bundle::Digest {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

const QUERIES: [&str; 4] = ["the", "颱風", "tag:economy", "\"harbour ledger\""];

#[test]
fn a_bundle_holds_exactly_the_archive_and_answers_queries_like_its_folder() {
    let posts = common::manifest_dir().join("tests/data/posts");
    let out = fresh("sharded");
    let file = out.with_extension("bundle");
    let args = ["build", posts.to_str().unwrap(), "-o", out.to_str().unwrap(), "--layout", "sharded", "--tiny-cuts"];
    let stdout = ok(newsarchive(&[&args[..], &["--bundle", file.to_str().unwrap()]].concat()));
    assert!(stdout.lines().nth(1).is_some_and(|l| l.starts_with("bundled ")), "{stdout}");

    let bytes = std::fs::read(&file).unwrap();
    let members = newsreader::archive::bundle::read(&bytes, sha256).unwrap();
    let mut held: Vec<(String, Vec<u8>)> = members.iter().map(|m| (m.path.to_string(), m.bytes.to_vec())).collect();
    held.sort();
    assert_eq!(held, archive_files(&out), "the bundle holds every file of the folder, byte for byte");
    assert!(held.len() > 5, "a sharded archive of several files: {}", held.len());
    // What a browser checks before it keeps an imported bundle: every file named is held.
    let named = newsreader::archive::read::files_named(|file| {
        held.iter()
            .find(|(path, _)| path == file)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| std::io::ErrorKind::NotFound.into())
    })
    .unwrap()
    .files;
    let mut named_sorted = named.clone();
    named_sorted.sort();
    assert_eq!(named_sorted, held.iter().map(|(path, _)| path.clone()).collect::<Vec<_>>());
    assert_eq!(named[0], "archive.json");

    // Any tar lists it.
    let listed = Command::new("tar").arg("tf").arg(&file).output().expect("tar runs");
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert_eq!(listed.lines().next(), Some("newsreader-bundle.json"));
    assert_eq!(listed.lines().count(), held.len() + 1);

    for oracle in [false, true] {
        let mut query = vec!["query"];
        if oracle {
            query.push("--oracle");
        }
        let from_folder = ok(newsarchive(&[&query[..], &[out.to_str().unwrap()], &QUERIES[..]].concat()));
        let from_bundle = ok(newsarchive(&[&query[..], &[file.to_str().unwrap()], &QUERIES[..]].concat()));
        assert_eq!(from_bundle, from_folder);
        assert!(from_folder.contains("\"the\":[\""), "the queries find posts: {from_folder}");
    }
}

#[test]
fn files_the_archive_no_longer_names_stay_out_of_the_bundle() {
    let posts = common::manifest_dir().join("tests/data/posts");
    let out = fresh("stale");
    ok(newsarchive(&["build", posts.to_str().unwrap(), "-o", out.to_str().unwrap(), "--layout", "sharded"]));
    std::fs::write(out.join("list/0000000000000000.json"), "{}").unwrap();
    let file = out.with_extension("bundle");
    ok(newsarchive(&["bundle", out.to_str().unwrap(), "-o", file.to_str().unwrap()]));
    let bytes = std::fs::read(&file).unwrap();
    let members = newsreader::archive::bundle::read(&bytes, sha256).unwrap();
    assert!(members.iter().all(|m| m.path != "list/0000000000000000.json"));
    assert_eq!(members.len(), archive_files(&out).len() - 1);
}

#[test]
fn a_damaged_bundle_is_refused_naming_the_member() {
    let posts = common::manifest_dir().join("tests/data/posts");
    let out = fresh("damaged");
    let file = out.with_extension("bundle");
    ok(newsarchive(&[
        "build",
        posts.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--bundle",
        file.to_str().unwrap(),
    ]));
    let mut bytes = std::fs::read(&file).unwrap();
    // The last member's first byte (archive.json, the only member of a single layout).
    let members = newsreader::archive::bundle::read(&bytes, sha256).unwrap();
    let offset = members[0].bytes.as_ptr() as usize - bytes.as_ptr() as usize;
    bytes[offset] ^= 0x20;
    std::fs::write(&file, &bytes).unwrap();
    let output = newsarchive(&["query", file.to_str().unwrap(), "the"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("the member archive.json is damaged"), "{stderr}");

    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let stderr = String::from_utf8(newsarchive(&["query", file.to_str().unwrap(), "the"]).stderr).unwrap();
    assert!(stderr.contains("cut short"), "{stderr}");
}
