//! `newsarchive portable` as an archivist runs it: every file of the archive comes back
//! from the packs byte for byte, the web edition's files a file page cannot use stay
//! out, and bad input is refused with what is wrong, before anything is written.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{self, newsarchive};
use newsreader::builder::portable::unpack;

/// A stand-in for dist/: the reader's page as Trunk writes it, and the files beside it.
fn fake_app(name: &str) -> PathBuf {
    let app = common::scratch("portable", name);
    fs::create_dir_all(app.join("i18n")).unwrap();
    fs::create_dir_all(app.join("archive")).unwrap();
    fs::create_dir_all(app.join("licenses")).unwrap();
    fs::write(
        app.join("index.html"),
        r#"<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'">
<link rel="preload" href="archive/archive.json" as="fetch" crossorigin>
<script type="module" src="./boot.js" data-js="./reader-1.js" data-wasm="./reader-1_bg.wasm"></script>
</head><body></body></html>"#,
    )
    .unwrap();
    for (file, text) in [
        ("boot.js", "// boot"),
        ("sw.js", "// worker"),
        ("manifest.webmanifest", "{}"),
        ("reader-1.js", "export default 1"),
        ("reader-1_bg.wasm", "module"),
        ("s2t.txt", "台\t臺\n"),
        ("i18n/en.json", r#"{"messages":{}}"#),
        ("i18n/zh-Hant.json", r#"{"messages":{"brand":"新聞存檔"}}"#),
        ("licenses/OpenCC-LICENSE.txt", "Apache-2.0"),
        ("archive/archive.json", "the demo's, which must not come along"),
    ] {
        fs::write(app.join(file), text).unwrap();
    }
    app
}

/// A stand-in for wasm-bindgen's classic output.
fn fake_classic(name: &str) -> PathBuf {
    let dir = common::scratch("portable", name);
    fs::write(dir.join("reader.js"), "let wasm_bindgen;").unwrap();
    fs::write(dir.join("reader_bg.wasm"), [0u8, 97, 115, 109, 1, 0, 0, 0, 0xff]).unwrap();
    dir
}

/// Every file under `dir`, relative to it, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let relative = |path: PathBuf| path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
    common::files_below(dir).into_iter().map(relative).collect()
}

fn sharded_demo(name: &str) -> PathBuf {
    let out = common::scratch("portable", name);
    let posts = common::manifest_dir().join("demo/posts");
    let output = newsarchive(&[
        "build",
        posts.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--layout",
        "sharded",
        "--tiny-cuts",
        "--no-cache",
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    out
}

fn portable(archive: &Path, app: &Path, classic: &Path, out: &Path) -> std::process::Output {
    let path = |p: &Path| p.to_str().unwrap().to_string();
    let args = ["portable", &path(archive), "--app", &path(app), "--classic", &path(classic), "-o", &path(out)];
    newsarchive(&args)
}

#[test]
fn every_file_the_reader_reads_comes_back_from_the_packs_as_it_was() {
    let (archive, app, classic) = (sharded_demo("archive"), fake_app("app"), fake_classic("classic"));
    let out = common::scratch("portable", "edition");
    let output = portable(&archive, &app, &classic, &out);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("portable: ") && stdout.contains("(open it from disk)"), "{stdout}");
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "", "no warning for the demo");

    let members = unpack(|file| fs::read(out.join(file)).ok()).unwrap();
    // The archive: exactly the files it names (not diagnostics.json), byte for byte.
    let mut archived = files_in(&archive);
    archived.retain(|f| f != "diagnostics.json");
    assert!(archived.len() > 100, "{archived:?}");
    for file in &archived {
        assert_eq!(members[&format!("archive/{file}")], fs::read(archive.join(file)).unwrap(), "{file}");
    }
    // The app's own fetches and the wasm.
    assert_eq!(members["i18n/zh-Hant.json"], fs::read(app.join("i18n/zh-Hant.json")).unwrap());
    assert_eq!(members["s2t.txt"], fs::read(app.join("s2t.txt")).unwrap());
    assert_eq!(members["reader_bg.wasm"], fs::read(classic.join("reader_bg.wasm")).unwrap());
    assert_eq!(members.len(), archived.len() + 4);

    // Beside the packs: the page, the runtime, the classic glue, what the app had that a
    // file page can use; not the worker, the manifest, the module glue, nor what is packed.
    let mut files = files_in(&out);
    files.retain(|f| !f.starts_with("data/"));
    assert_eq!(files, ["boot.js", "index.html", "licenses/OpenCC-LICENSE.txt", "portable.js", "reader.js"]);
    assert_eq!(fs::read(out.join("reader.js")).unwrap(), b"let wasm_bindgen;");
    assert_eq!(fs::read_to_string(out.join("portable.js")).unwrap(), newsreader::builder::portable::RUNTIME);
    let page = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(page.contains(r#"data-js="reader.js" data-wasm="reader_bg.wasm" defer"#), "{page}");
    assert!(page.contains("connect-src 'none'") && !page.contains("preload"), "{page}");

    // Written again over itself: an earlier edition is replaced, stale packs and all.
    fs::write(out.join("data/999.js"), "stale").unwrap();
    let again = portable(&archive, &app, &classic, &out);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(!out.join("data/999.js").exists());
}

/// Runs `portable` expecting failure; its message.
fn refused(archive: &Path, app: &Path, classic: &Path, out: &Path) -> String {
    let output = portable(archive, app, classic, out);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stdout));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn bad_input_is_refused_with_what_is_wrong_and_nothing_is_written() {
    let (archive, app, classic) = (sharded_demo("bad-archive"), fake_app("bad-app"), fake_classic("bad-classic"));
    let out = common::scratch("portable", "bad-out").join("edition");

    // An archive with a file missing: named.
    let damaged = common::scratch("portable", "damaged");
    for file in files_in(&archive) {
        fs::create_dir_all(damaged.join(&file).parent().unwrap()).unwrap();
        fs::copy(archive.join(&file), damaged.join(&file)).unwrap();
    }
    let part = files_in(&damaged).into_iter().find(|f| f.starts_with("list/")).unwrap();
    fs::remove_file(damaged.join(&part)).unwrap();
    let stderr = refused(&damaged, &app, &classic, &out);
    assert!(stderr.contains("cannot read the archive") && stderr.contains(&part), "{stderr}");

    // No archive at all, no reader, a page that is not the reader's, no classic glue.
    let empty = common::scratch("portable", "empty");
    assert!(refused(&empty, &app, &classic, &out).contains("archive.json"));
    assert!(refused(&archive, &empty, &classic, &out).contains("no reader in"));
    let other_page = fake_app("other-page");
    fs::write(other_page.join("index.html"), "<!doctype html><p>hello</p>").unwrap();
    assert!(refused(&archive, &other_page, &classic, &out).contains("not the reader's page"));
    let stderr = refused(&archive, &app, &empty, &out);
    assert!(stderr.contains("reader.js") && stderr.contains("no-modules"), "{stderr}");
    assert!(!out.exists(), "nothing is written for bad input");

    // An output folder that holds something else, or overlaps what the edition is made of.
    let busy = common::scratch("portable", "busy");
    fs::write(busy.join("notes.txt"), "mine").unwrap();
    assert!(refused(&archive, &app, &classic, &busy).contains("neither empty nor a portable edition"));
    assert_eq!(fs::read_to_string(busy.join("notes.txt")).unwrap(), "mine");
    assert!(refused(&archive, &app, &classic, &app.join("portable")).contains("overlaps"));
    assert!(refused(&archive, &app, &classic, &archive).contains("overlaps"));
}
