/**
 * The per-file table: ours against CPython's bz2 on each corpus file and on their
 * concatenation, both on one thread. Files of one block or less show per-call costs that the
 * 20 MB datasets hide.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compressSync, decompressSync } from '../lib/index';
import { corpusFiles } from '../test/helpers/corpus';
import { table } from './markdown';
import { timePython } from './python';
import { LEVEL } from './settings';
import { fastest, type Budget } from './timing';

const mbps = (bytes: number, seconds: number): string => (bytes / seconds / 1e6).toFixed(1);

/** Markdown: a heading and the table. `work` is a scratch directory. */
export async function perFileTable(budget: Budget, work: string): Promise<string> {
  const files = corpusFiles();
  const all = join(work, 'corpus-concatenated');
  writeFileSync(all, Buffer.concat(files.map((file) => readFileSync(file))));
  const targets = [...files, all];
  const python = timePython(
    targets.map((input) => ({ input })),
    LEVEL,
    budget,
  );
  const options = { level: LEVEL, threads: 1 };

  const rows: string[][] = [];
  for (const [i, file] of targets.entries()) {
    const data = readFileSync(file);
    const packed = compressSync(data, options);
    const ours = {
      compress: await fastest(() => compressSync(data, options), budget),
      decompress: await fastest(() => decompressSync(packed), budget),
    };
    const theirs = python.results[i];
    if (!theirs) throw new Error('python3 returned too few results');
    rows.push([
      basename(file),
      String(data.length),
      mbps(data.length, ours.compress.seconds),
      mbps(data.length, theirs.compress.seconds),
      (theirs.compress.seconds / ours.compress.seconds).toFixed(2),
      mbps(data.length, ours.decompress.seconds),
      mbps(data.length, theirs.decompress.seconds),
      (theirs.decompress.seconds / ours.decompress.seconds).toFixed(2),
    ]);
  }
  return [
    `## Each corpus file: bz2-napi against CPython ${python.version} (libbzip2 ${python.libbz2}), one thread`,
    '',
    `MB/s of input bytes; ratio = our speed / CPython's. Best of ≥ ${budget.minRuns} runs and ` +
      `≥ ${budget.seconds} s each; \`compressSync(data, { level: ${LEVEL}, threads: 1 })\`.`,
    '',
    table(
      [
        'file',
        'bytes',
        'compressSync',
        'bz2.compress',
        'ratio',
        'decompressSync',
        'bz2.decompress',
        'ratio',
      ],
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      rows,
    ),
  ].join('\n');
}
