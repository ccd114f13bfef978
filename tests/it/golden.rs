//! The demo posts' whole archive and diagnostics, compared with the files under
//! tests/data/golden. After an intended change: `UPDATE_GOLDEN=1 cargo test --test it golden`,
//! then review the diff.

use crate::common;

use std::fs;

use newsreader::builder::build_archive;

fn check(name: &str, actual: &str) {
    let path = common::manifest_dir().join("tests/data/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected =
        fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing; run with UPDATE_GOLDEN=1", path.display()));
    if expected != actual {
        let line = expected.lines().zip(actual.lines()).position(|(e, a)| e != a).unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  expected: {}\n  actual:   {}\n(UPDATE_GOLDEN=1 to accept)",
            line + 1,
            expected.lines().nth(line).unwrap_or(""),
            actual.lines().nth(line).unwrap_or("")
        );
    }
}

#[test]
fn demo_archive_matches_its_golden_file() {
    let files = common::read_posts(&common::manifest_dir().join("demo/posts"));
    let output = build_archive(&files, "2025-11-26T00:00:00Z");
    check("demo-archive.json", &(serde_json::to_string_pretty(&output.archive).unwrap() + "\n"));
    check("demo-diagnostics.json", &(serde_json::to_string_pretty(&output.diagnostics).unwrap() + "\n"));
}
