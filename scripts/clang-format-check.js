'use strict';
// Checks (or with --fix, applies) clang-format on our C++ (src/, test/fuzz/) with the clang-format binary that the
// clang-format npm package ships, so every machine formats with the same version.
const { execFileSync } = require('node:child_process');
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const binary = require('clang-format').getNativeBinary();
const fix = process.argv.includes('--fix');
// Our C++: the addon (src/ and its layer folders) and the fuzz targets (test/fuzz/).
const files = ['src', join('test', 'fuzz')].flatMap((dir) =>
  readdirSync(join(root, dir), { recursive: true })
    .filter((name) => /\.(cc|h)$/.test(name))
    .map((name) => join(root, dir, name)),
);

let bad = 0;
for (const file of files) {
  if (fix) {
    execFileSync(binary, ['-i', '--style=file', file]);
    continue;
  }
  const formatted = execFileSync(binary, ['--style=file', file], { encoding: 'utf8' });
  if (formatted !== readFileSync(file, 'utf8')) {
    console.error(`not clang-formatted: ${file}`);
    bad++;
  }
}
if (bad) {
  console.error('run: npm run format');
  process.exit(1);
}
