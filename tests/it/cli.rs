//! The `newsarchive` command as a user runs it.

use crate::common;
use crate::common::newsarchive;

use std::path::PathBuf;
use std::process::Command;

fn out_dir(name: &str) -> PathBuf {
    common::scratch("cli", name)
}

#[test]
fn build_prints_one_summary_line_and_writes_both_files() {
    let out = out_dir("summary");
    let posts = common::manifest_dir().join("tests/data/posts");
    let output = newsarchive(&["build", posts.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("read 17, archived 11, skipped 5, merged 1 in "), "{stdout}");

    let archive = std::fs::read(out.join("archive.json")).unwrap();
    let archive = newsreader::archive::Archive::parse("archive.json", &archive).unwrap();
    assert_eq!(archive.articles.len(), 11);
    let diagnostics: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("diagnostics.json")).unwrap()).unwrap();
    let skipped = diagnostics.as_array().unwrap().iter().filter(|d| d["severity"] == "skipped").count();
    assert_eq!(skipped, 5);
}

#[test]
fn strict_fails_only_when_something_was_skipped() {
    let posts = common::manifest_dir().join("tests/data/posts");
    let out = out_dir("strict");
    let output = newsarchive(&["build", posts.to_str().unwrap(), "-o", out.to_str().unwrap(), "--strict"]);
    assert_eq!(output.status.code(), Some(2));
    let good = posts.join("2021-01-01-date-only.md");
    let output = newsarchive(&["build", good.to_str().unwrap(), "-o", out.to_str().unwrap(), "--strict"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_missing_folder_is_an_error_that_names_it() {
    let output = newsarchive(&["build", "/no/such/folder", "-o", out_dir("missing").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("/no/such/folder"), "{stderr}");
}

#[test]
fn generate_writes_posts_that_build_into_that_many_articles() {
    let golden = common::manifest_dir().join("tests/data/golden/demo-archive.json");
    let posts = out_dir("generated-posts");
    let out = out_dir("generated-archive");
    let output = newsarchive(&[
        "generate",
        "--from",
        golden.to_str().unwrap(),
        "--count",
        "60",
        "--seed",
        "3",
        "-o",
        posts.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(std::fs::read_dir(&posts).unwrap().count(), 60);
    let output = newsarchive(&["build", posts.to_str().unwrap(), "-o", out.to_str().unwrap(), "--strict"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8(output.stdout).unwrap().starts_with("read 60, archived 60, skipped 0, merged 0"));
}

#[test]
fn query_into_a_closed_pipe_ends_quietly_and_successfully() {
    let out = out_dir("closed-pipe");
    let posts = common::manifest_dir().join("demo/posts");
    assert!(newsarchive(&["build", posts.to_str().unwrap(), "-o", out.to_str().unwrap()]).status.success());
    // `newsarchive query … | head -c1`: the reader is gone before the answer is written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsarchive"))
        .args(["query", out.to_str().unwrap(), "typhoon", "台湾", "harbour"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "status {:?}: {stderr}", output.status);
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn generate_from_too_small_an_archive_is_an_error_not_a_panic() {
    let one = out_dir("one-post");
    let post = common::manifest_dir().join("tests/data/posts/2021-01-01-date-only.md");
    assert!(newsarchive(&["build", post.to_str().unwrap(), "-o", one.to_str().unwrap()]).status.success());
    let archive = one.join("archive.json");
    let output = newsarchive(&[
        "generate",
        "--from",
        archive.to_str().unwrap(),
        "--count",
        "5",
        "-o",
        out_dir("none").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("needs at least two") && !stderr.contains("panicked"), "{stderr}");
}

#[test]
fn site_copies_the_prebuilt_reader_and_builds_the_archive_beside_it() {
    let app = out_dir("site-app");
    std::fs::create_dir_all(app.join("archive")).unwrap();
    std::fs::create_dir_all(app.join("i18n")).unwrap();
    std::fs::write(app.join("index.html"), "<!doctype html>").unwrap();
    std::fs::write(app.join("i18n/en.json"), "{}").unwrap();
    // dist/ carries the demo's archive: it must not end up in the site.
    std::fs::write(app.join("archive/stale.json"), "{}").unwrap();
    let site = out_dir("site");
    let posts = common::manifest_dir().join("tests/data/posts");
    let output =
        newsarchive(&["site", posts.to_str().unwrap(), "-o", site.to_str().unwrap(), "--app", app.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8(output.stdout).unwrap().contains("site: the reader (2 files from"));
    assert_eq!(std::fs::read_to_string(site.join("index.html")).unwrap(), "<!doctype html>");
    assert!(site.join("i18n/en.json").is_file());
    assert!(!site.join("archive/stale.json").exists());
    let archive = std::fs::read(site.join("archive/archive.json")).unwrap();
    assert_eq!(newsreader::archive::Archive::parse("archive.json", &archive).unwrap().articles.len(), 11);
}

#[test]
fn site_without_a_prebuilt_reader_says_where_it_looked() {
    let missing = out_dir("no-app");
    let posts = common::manifest_dir().join("tests/data/posts");
    let site = out_dir("site-without-app");
    let output = newsarchive(&[
        "site",
        posts.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
        "--app",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(&format!("no prebuilt reader in {}", missing.display())), "{stderr}");
    assert!(!site.join("archive").exists(), "nothing is built without a reader");
}
