/**
 * npm run bench: compression and decompression throughput of bz2-napi against CPython's bz2 on
 * the shared corpus (../shared/corpus), each file and all of them concatenated, at level 9; then
 * the asynchronous API's event-loop stalls and concurrent throughput (bench/async.ts).
 * Prints Markdown tables with the machine named. Not a test: numbers vary with the machine.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { compressSync, decompressSync } from '../lib/index';
import { corpusFiles } from '../test/helpers/corpus';
import { asyncBench } from './async';
import { timePython } from './python';
import { best } from './timing';

const LEVEL = 9;
const BUDGET = Number(process.env['BENCH_SECONDS'] ?? '1'); // seconds per measurement

const files = corpusFiles();
if (files.length === 0) throw new Error('no corpus: expected ../shared/corpus beside the project');

const work = mkdtempSync(join(tmpdir(), 'bz2-napi-bench-'));
try {
  const all = join(work, 'corpus-concatenated');
  writeFileSync(all, Buffer.concat(files.map((file) => readFileSync(file))));
  const targets = [...files, all];

  const python = timePython(targets, LEVEL, BUDGET);
  const mb = (bytes: number, seconds: number): string => (bytes / seconds / 1e6).toFixed(1);

  const rows: string[] = [];
  targets.forEach((file, i) => {
    const data = readFileSync(file);
    const packed = compressSync(data, LEVEL);
    const ours = {
      compress: best(() => compressSync(data, LEVEL), BUDGET),
      decompress: best(() => decompressSync(packed), BUDGET),
    };
    const theirs = python.results[i];
    if (!theirs) throw new Error('python returned too few results');
    rows.push(
      `| ${basename(file)} | ${data.length} | ${mb(data.length, ours.compress)} | ${mb(data.length, theirs.compress)} | ${(theirs.compress / ours.compress).toFixed(2)} | ${mb(data.length, ours.decompress)} | ${mb(data.length, theirs.decompress)} | ${(theirs.decompress / ours.decompress).toFixed(2)} |`,
    );
  });

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `Machine: ${cpu}, ${cpus().length} cores; Node ${process.version}; Python ${python.version}; level ${LEVEL}; best of ≥${BUDGET} s each.\n`,
  );
  console.log(
    'Throughput in MB/s of input (uncompressed) bytes; ratio = our speed / CPython speed.\n',
  );
  console.log(
    '| file | bytes | compressSync | bz2.compress | ratio | decompressSync | bz2.decompress | ratio |',
  );
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
  for (const row of rows) console.log(row);
} finally {
  rmSync(work, { recursive: true, force: true });
}

// The asynchronous API: event-loop stalls and concurrent throughput (bench/async.ts).
void asyncBench().then((markdown) => {
  console.log(`\n${markdown}`);
});
