#!/bin/sh
# Trunk post_build hook (Trunk.toml): gives the sanitizer module's two files content-hashed
# names, as Trunk gives the app's, and writes them into index.html's boot script tag.
set -eu
d="$TRUNK_STAGING_DIR"
test -f "$d/sanitizer.js" && test -f "$d/sanitizer_bg.wasm" || {
  echo "no sanitizer.js / sanitizer_bg.wasm in $d (index.html's sanitizer link)" >&2
  exit 1
}
hash=$(cat "$d/sanitizer.js" "$d/sanitizer_bg.wasm" | sha256sum | cut -c1-16)
sed "s/sanitizer_bg\.wasm/sanitizer-${hash}_bg.wasm/g" "$d/sanitizer.js" >"$d/sanitizer-$hash.js"
grep -q "sanitizer-${hash}_bg.wasm" "$d/sanitizer-$hash.js" || {
  echo "the sanitizer's glue does not name sanitizer_bg.wasm: wasm-bindgen changed its output" >&2
  exit 1
}
mv "$d/sanitizer_bg.wasm" "$d/sanitizer-${hash}_bg.wasm"
rm "$d/sanitizer.js"
sed -i -e "s/data-sanitizer-js=\"\([^\"]*\)sanitizer\.js\"/data-sanitizer-js=\"\1sanitizer-$hash.js\"/" \
  -e "s/data-sanitizer-wasm=\"\([^\"]*\)sanitizer_bg\.wasm\"/data-sanitizer-wasm=\"\1sanitizer-${hash}_bg.wasm\"/" "$d/index.html"
grep -q "data-sanitizer-wasm=\"[^\"]*sanitizer-${hash}_bg.wasm\"" "$d/index.html" || {
  echo "index.html's boot script names no sanitizer (Trunk.toml, pattern_script)" >&2
  exit 1
}
