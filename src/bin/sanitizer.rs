//! The sanitizer as a wasm module of its own (built for wasm32 by Trunk; see index.html).
//!
//! Ammonia and the HTML parser under it are about 40% of what the reader would weigh
//! (216 KB of 571 KB gzip): the list, the filters and the search need none of it, only
//! an article's body does. So the reader's own wasm leaves it out and static/boot.js
//! loads this module when it is first needed (an article opens, the archive is saved for
//! offline or imported; src/app/sanitizer.rs). The policy is the library's one policy,
//! `newsreader::sanitize`, the same code the archive builder runs.

#[cfg(target_arch = "wasm32")]
mod exports {
    use newsreader::sanitize::{sanitize as clean, Images};
    use wasm_bindgen::prelude::wasm_bindgen;

    /// `untrusted` cleaned under the one policy, with `<img src>` kept only when `images` is true.
    #[wasm_bindgen]
    pub fn sanitize(untrusted: &str, images: bool) -> String {
        clean(untrusted, if images { Images::Allowed } else { Images::Blocked })
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The sanitizer module runs in a browser, loaded by the reader: `make serve` builds and serves both.");
    std::process::exit(2);
}
