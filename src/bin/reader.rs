//! Entry point of the web app (built for wasm32 by Trunk; see index.html).

#[cfg(target_arch = "wasm32")]
fn main() {
    newsreader::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "The reader runs in a browser: `make serve` builds and serves it; `newsarchive` is the command-line tool."
    );
    std::process::exit(2);
}
