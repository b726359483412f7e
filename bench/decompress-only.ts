/**
 * Only the decompression part of `npm run bench`: `node --import tsx bench/decompress-only.ts`.
 * The side-by-side decompression section, its memory rows and issue 13's targets on both
 * datasets (about a minute and a half on 2 cores), printed as Markdown; bench/results/ is left alone. The same environment as
 * bench/index.ts (BENCH_BYTES, BENCH_INSTALL, BENCH_DECOMPRESS_ROUNDS).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { corpusDataset, typescriptDataset } from './datasets';
import {
  decompressionSection,
  measureDecompression,
  type DecompressionResult,
} from './decompression';
import { describeMachine } from './machine';
import { formatMarkdown } from './markdown';
import { decompressMemorySection, measureDecompressMemory } from './memory';
import { findPeers, PEER_PROGRAMS } from './peers';
import {
  contentionLine,
  decompressionTargetsNote,
  decompressionTargetsTable,
  machineSection,
} from './report';
import { makeReference } from './run';
import { readSettings } from './settings';

async function main(): Promise<void> {
  const started = performance.now();
  const settings = readSettings();
  const work = mkdtempSync(join(tmpdir(), 'bz2-napi-bench-'));
  try {
    const peers = findPeers(settings.install);
    const results: DecompressionResult[] = [];
    for (const dataset of [corpusDataset(settings.bytes), typescriptDataset(settings.bytes)]) {
      const input = join(work, `${dataset.name}.in`);
      writeFileSync(input, dataset.data);
      const reference = makeReference(dataset, peers, undefined);
      if (!reference) throw new Error('no bzip2 on PATH to make the bzip2 -9 files');
      results.push(
        await measureDecompression(
          dataset,
          reference,
          peers,
          settings.decompressRounds,
          input,
          work,
        ),
      );
    }
    const memory = results.map((r) =>
      measureDecompressMemory(r.dataset.name, r.file, r.dataset.data.length),
    );
    const machine = describeMachine(
      PEER_PROGRAMS.flatMap((program) => peers.versions.get(program) ?? []),
    );
    const parts = [
      '# bz2-napi decompression benchmark',
      '',
      machineSection(machine),
      '',
      decompressionSection(results, contentionLine),
      '',
      decompressMemorySection(memory),
      '',
      '## Targets (issue 13)',
      ...results.flatMap((result) => [
        '',
        `### ${result.dataset.name}`,
        '',
        decompressionTargetsTable(result),
      ]),
      '',
      decompressionTargetsNote(),
      '',
      `_This run took ${((performance.now() - started) / 60_000).toFixed(1)} minutes._`,
    ];
    console.log(await formatMarkdown(parts.join('\n'), join(__dirname, 'results', 'results.md')));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
