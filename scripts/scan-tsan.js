'use strict';
// Reads ThreadSanitizer's logs (scripts/tsan.sh) and fails on every report in which our code made
// one of the racing accesses: the first frame outside TSan's runtime of an access stack is in
// bz2_napi.node. The rest (node and V8, which are not instrumented, so TSan cannot see how they
// synchronise) are counted. Any fatal TSan error fails too.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.argv[2];
let ours = 0;
let ignored = 0;
let fatal = 0;
for (const name of readdirSync(dir)) {
  const text = readFileSync(join(dir, name), 'utf8');
  if (
    /ThreadSanitizer: (CHECK failed|unexpected memory mapping)|FATAL: ThreadSanitizer/.test(text)
  ) {
    console.error(`TSan failed in ${name}:\n${text.slice(0, 3000)}`);
    fatal++;
  }
  for (const report of text.split(/^WARNING: ThreadSanitizer: /m).slice(1)) {
    // The access stacks (the lines after "Read/Write/Previous ... of size"); for a report of
    // another kind (a lock-order inversion, a thread leak), every stack in it.
    const stacks = (regex) => [...report.matchAll(regex)].map((match) => match[1] ?? '');
    let judged = stacks(
      /^ {2}(?:Previous )?(?:atomic )?(?:[Rr]ead|[Ww]rite) of size[^\n]*\n((?: {4}#\d+[^\n]*\n)+)/gm,
    );
    if (judged.length === 0) judged = stacks(/^[^\n]*\n((?: {4}#\d+[^\n]*\n)+)/gm);
    const byUs = judged.some((stack) => {
      const frames = stack.split('\n').filter((line) => line.trim().startsWith('#'));
      const first = frames.find((frame) => !frame.includes('libtsan.so'));
      return first !== undefined && first.includes('(bz2_napi.node+');
    });
    if (byUs) {
      ours++;
      console.error(
        `report involving the addon in ${name}:\nWARNING: ThreadSanitizer: ${report.slice(0, 4000)}`,
      );
    } else {
      ignored++;
    }
  }
}
console.error(
  `tsan logs: ${readdirSync(dir).length} file(s); ${ours} report(s) by our code, ${ignored} inside node/V8 ignored`,
);
process.exit(ours + fatal > 0 ? 1 : 0);
