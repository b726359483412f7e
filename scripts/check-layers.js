'use strict';
// The layering of src/ (src/README.md): the engines under src/bzip2/, src/codec/ and
// src/parallel/ are plain C++ that never sees Node-API (so they can be tested, fuzzed and reused
// without it); src/bzip2/ and src/codec/ never reach up into src/parallel/. Fails when an include
// crosses a layer.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const src = join(__dirname, '..', 'src');
// What an engine folder may include with quotes: its own layer, the layers below, libbzip2.
const allowed = {
  bzip2: [/^bzip2\//, /^bzlib(_private)?\.h$/],
  codec: [/^codec\//, /^bzlib(_private)?\.h$/],
  parallel: [/^parallel\//, /^bzip2\//, /^codec\//, /^bzlib(_private)?\.h$/],
};
// Node's own headers, which no engine may include at all.
const nodeHeaders =
  /^(napi|napi-inl|node_api|node_api_types|js_native_api|js_native_api_types|node|uv|v8)\.h$/;

let bad = 0;
for (const [folder, rules] of Object.entries(allowed)) {
  for (const name of readdirSync(join(src, folder))) {
    if (!/\.(cc|h)$/.test(name)) continue;
    const text = readFileSync(join(src, folder, name), 'utf8');
    for (const [, open, included] of text.matchAll(/^\s*#\s*include\s*([<"])([^>"]+)[>"]/gm)) {
      const ok = nodeHeaders.test(included.split('/').pop() ?? '')
        ? false
        : open === '<' || rules.some((rule) => rule.test(included));
      if (!ok) {
        console.error(
          `src/${folder}/${name}: #include ${open}${included}: not allowed in src/${folder}/`,
        );
        bad++;
      }
    }
  }
}
if (bad) {
  console.error(
    'the engines in src/bzip2/, src/codec/ and src/parallel/ stay plain C++ (see src/README.md)',
  );
  process.exit(1);
}
