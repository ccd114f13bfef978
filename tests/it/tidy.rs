//! The rules ARCHITECTURE.md states, checked on the source tree, so that they stay true
//! when nobody is looking: where raw HTML may enter the DOM, where the sanitizer policy
//! lives, that the core does no I/O, that native-only crates stay out of the wasm, that
//! the code map names every source file (and nothing that is not there), and that the
//! first paint in static/boot.js reads the format the app reads.

use std::fs;
use std::process::Command;

use crate::common::manifest_dir;

/// Every `.rs` file under `dir`, relative to the repository root, sorted.
fn rust_files(dir: &str) -> Vec<String> {
    crate::common::files_under(dir, "rs")
}

/// The lines of a file that are code, with their numbers: comments and doc comments
/// are allowed to name anything.
fn code_lines(file: &str) -> Vec<(usize, String)> {
    let text = fs::read_to_string(manifest_dir().join(file)).unwrap();
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split("//").next().unwrap_or("").to_string()))
        .filter(|(_, code)| !code.trim().is_empty())
        .collect()
}

/// Whether `code` has `needle` not as the end of a longer name (`File::` but not `ArchiveFile::`).
fn mentions(code: &str, needle: &str) -> bool {
    code.match_indices(needle)
        .any(|(at, _)| !code[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_'))
}

/// `file:line: code` for every code line of `files` that mentions one of `needles`.
fn uses(files: &[String], needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        for (line, code) in code_lines(file) {
            if let Some(needle) = needles.iter().find(|n| mentions(&code, n)) {
                found.push(format!("{file}:{line}: {needle}: {}", code.trim()));
            }
        }
    }
    found
}

fn outside(files: Vec<String>, allowed: &[&str]) -> Vec<String> {
    files.into_iter().filter(|f| !allowed.iter().any(|a| f.starts_with(a))).collect()
}

#[test]
fn raw_html_reaches_the_dom_only_through_the_sanitizer() {
    let others = outside(rust_files("src"), &["src/app/components/safe_html.rs"]);
    let found = uses(&others, &["from_html_unchecked", "set_inner_html", "inner_html", "insert_adjacent_html"]);
    assert!(found.is_empty(), "raw HTML is put into the page outside safe_html.rs:\n{}", found.join("\n"));
    let safe = code_lines("src/app/components/safe_html.rs");
    assert!(safe.iter().any(|(_, c)| c.contains("sanitizer::now(")), "safe_html.rs sanitizes what it inserts");
    // Whichever way the app gets its sanitizer, it is the one policy's function.
    for (file, call) in [
        ("src/app/sanitizer.rs", "crate::sanitize::sanitize("),
        ("src/bin/sanitizer.rs", "use newsreader::sanitize::{sanitize as clean"),
    ] {
        assert!(code_lines(file).iter().any(|(_, c)| c.contains(call)), "{file} calls the one policy ({call})");
    }
}

#[test]
fn the_sanitizer_policy_is_configured_in_one_place() {
    let others = outside(rust_files("src"), &["src/sanitize.rs"]);
    let found = uses(&others, &["ammonia"]);
    assert!(found.is_empty(), "ammonia is used outside src/sanitize.rs:\n{}", found.join("\n"));
}

#[test]
fn the_core_does_no_io() {
    let core = outside(rust_files("src"), &["src/bin/", "src/app/"]);
    let io = [
        "std::fs",
        "fs::",
        "File::",
        "std::net",
        "std::process",
        "std::env::var",
        "env::var",
        "SystemTime",
        "Instant::",
        "Utc::now",
        "Local::now",
        "stdin()",
        "stdout()",
        "stderr()",
        "print!",
        "println!",
        "eprint!",
        "eprintln!",
        "web_sys",
        "js_sys",
        "gloo",
        "wasm_bindgen",
        "yew",
    ];
    let found = uses(&core, &io);
    assert!(
        found.is_empty(),
        "file, network, clock, console or DOM access outside src/bin and src/app:\n{}",
        found.join("\n")
    );
}

#[test]
fn native_only_crates_never_enter_the_wasm_build() {
    let output = Command::new(env!("CARGO"))
        .current_dir(manifest_dir())
        .args(["tree", "--offline", "--edges", "normal", "--prefix", "none", "--no-default-features"])
        .args(["--target", "wasm32-unknown-unknown"])
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tree = String::from_utf8(output.stdout).unwrap();
    let crates: Vec<&str> = tree.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(crates.contains(&"yew") && crates.contains(&"ammonia"), "the wasm build's tree:\n{tree}");
    let native = ["serde_yaml", "pulldown-cmark", "lol_html", "chrono", "rayon", "clap", "walkdir", "fast2s", "anyhow"];
    let leaked: Vec<&&str> = native.iter().filter(|n| crates.contains(n)).collect();
    assert!(leaked.is_empty(), "native-only crates in the wasm build: {leaked:?}");
}

/// The paths the code map of ARCHITECTURE.md names: the first column of its table.
fn code_map() -> Vec<String> {
    let doc = fs::read_to_string(manifest_dir().join("ARCHITECTURE.md")).unwrap();
    let section = doc.split("## Code map").nth(1).expect("ARCHITECTURE.md has a code map");
    let section = section.split("\n## ").next().unwrap();
    section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_code_map_names_every_source_file_and_only_files_that_exist() {
    let map = code_map();
    let mut files = rust_files("src");
    files.extend(rust_files("codegen"));
    let missing: Vec<&String> = files.iter().filter(|f| !map.contains(f)).collect();
    assert!(missing.is_empty(), "ARCHITECTURE.md's code map does not name: {missing:?}");
    let root = manifest_dir();
    let gone: Vec<&String> = map.iter().filter(|p| !root.join(p.trim_end_matches('/')).exists()).collect();
    assert!(gone.is_empty(), "ARCHITECTURE.md's code map names what is not there: {gone:?}");
}

/// static/boot.js draws the first screen from archive.json before the app is here, and
/// only from the format it knows: left behind by a format bump, it silently stops
/// drawing and every reader waits for the wasm.
#[test]
fn the_first_paint_reads_the_archive_format_the_app_reads() {
    let boot = fs::read_to_string(manifest_dir().join("static/boot.js")).unwrap();
    let declared = boot
        .lines()
        .find_map(|line| line.strip_prefix("const FORMAT_VERSION = ")?.strip_suffix(';')?.parse::<u32>().ok())
        .expect("static/boot.js declares `const FORMAT_VERSION = <n>;`");
    assert_eq!(declared, newsreader::archive::FORMAT_VERSION, "static/boot.js's FORMAT_VERSION");
}
