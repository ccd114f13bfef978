// Starts the wasm app. Trunk writes the hashed file names into this script tag's
// data attributes (Trunk.toml, pattern_script), so no inline script is needed.
const tag = document.querySelector('script[data-wasm]');
const { default: init } = await import(tag.dataset.js);
const wasm = await init({ module_or_path: tag.dataset.wasm });
// Diagnostics (bench/): the wasm memory's size, which the JS heap does not include.
globalThis.newsreaderMemoryBytes = () => wasm.memory.buffer.byteLength;
