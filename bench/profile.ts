/**
 * The per-stage profile: where one thread's compression time goes, libbzip2's stages against
 * our codec's, both on the very same blocks (the addon's bench-only `profileStages`, see
 * src/parallel/stage_profile.h). Thread CPU time, so the other processes of a shared machine
 * count less than in the wall-clock tables.
 */
import { native } from '../lib/native';
import type { Dataset } from './datasets';
import { table } from './markdown';
import { LEVEL } from './settings';

/** Seconds of thread CPU time per stage, summed over the blocks. */
interface StageSeconds {
  readonly rle1Crc: number;
  readonly sort: number;
  /** For libbzip2 its MTF and Huffman stages together (static functions in compress.c). */
  readonly mtf: number;
  /** 0 for libbzip2 (inside `mtf`). */
  readonly huffman: number;
}

/** What `profileStages(level, data)` returns. */
interface StageProfile {
  readonly blocks: number;
  /** Ours: finding the block ends (BlockCutter). */
  readonly cutting: number;
  /** Ours: joining the blocks' bits into one stream (BitJoiner). */
  readonly joining: number;
  readonly libbzip2: StageSeconds;
  readonly ours: StageSeconds;
  /** Every block's bits were the same both ways. */
  readonly same: boolean;
}

/** Left out of lib/native.ts's types on purpose (bench only): reached by a cast, as tests do. */
const profileStages = (
  native as unknown as { readonly profileStages: (level: number, data: Uint8Array) => StageProfile }
).profileStages;

/** Each dataset is profiled this many times; each stage keeps its median. */
export const PROFILE_ROUNDS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? NaN) + upper) / 2;
}

/** One stage's median seconds on each side; undefined where that side has no such stage. */
interface Row {
  readonly stage: string;
  readonly libbzip2: number | undefined;
  readonly ours: number | undefined;
}

/** The profile of one dataset: rows of median seconds, and whether every run agreed. */
export interface DatasetProfile {
  readonly dataset: Dataset;
  readonly blocks: number;
  readonly rows: readonly Row[];
  readonly libbzip2Total: number;
  readonly oursTotal: number;
  readonly same: boolean;
}

/** Profiles `dataset` at level 9 `rounds` times. */
export function profileDataset(dataset: Dataset, rounds = PROFILE_ROUNDS): DatasetProfile {
  const runs: StageProfile[] = [];
  for (let i = 0; i < rounds; i++) runs.push(profileStages(LEVEL, dataset.data));
  const of = (pick: (run: StageProfile) => number): number => median(runs.map(pick));
  const ours = {
    rle1Crc: of((r) => r.ours.rle1Crc),
    sort: of((r) => r.ours.sort),
    mtf: of((r) => r.ours.mtf),
    huffman: of((r) => r.ours.huffman),
    mtfHuffman: of((r) => r.ours.mtf + r.ours.huffman),
    cutting: of((r) => r.cutting),
    joining: of((r) => r.joining),
  };
  const libbzip2 = {
    rle1Crc: of((r) => r.libbzip2.rle1Crc),
    sort: of((r) => r.libbzip2.sort),
    mtfHuffman: of((r) => r.libbzip2.mtf + r.libbzip2.huffman),
  };
  const rows: Row[] = [
    { stage: 'RLE1 + CRC', libbzip2: libbzip2.rle1Crc, ours: ours.rle1Crc },
    { stage: 'block sort (BWT)', libbzip2: libbzip2.sort, ours: ours.sort },
    { stage: 'MTF/RLE2', libbzip2: undefined, ours: ours.mtf },
    { stage: 'Huffman', libbzip2: undefined, ours: ours.huffman },
    {
      stage: 'MTF/RLE2 + Huffman (one stage in libbzip2)',
      libbzip2: libbzip2.mtfHuffman,
      ours: ours.mtfHuffman,
    },
    { stage: 'finding block ends', libbzip2: undefined, ours: ours.cutting },
    { stage: 'joining', libbzip2: undefined, ours: ours.joining },
  ];
  return {
    dataset,
    blocks: runs[0]?.blocks ?? 0,
    rows,
    // Sums of the medians (the merged row counted once), so the percentages add up.
    libbzip2Total: libbzip2.rle1Crc + libbzip2.sort + libbzip2.mtfHuffman,
    oursTotal: ours.rle1Crc + ours.sort + ours.mtf + ours.huffman + ours.cutting + ours.joining,
    same: runs.every((run) => run.same),
  };
}

const ms = (seconds: number): string => (seconds * 1000).toFixed(seconds < 0.1 ? 1 : 0);
const share = (seconds: number, total: number): string =>
  total > 0 ? `${((seconds / total) * 100).toFixed(1)} %` : '—';

/** The Markdown table of one dataset's profile. */
export function profileTable(profile: DatasetProfile): string {
  const { libbzip2Total, oursTotal, blocks } = profile;
  const cell = (seconds: number | undefined, total: number, merged: boolean): string[] =>
    seconds === undefined
      ? ['—', '—']
      : [ms(seconds), merged ? `(${share(seconds, total)})` : share(seconds, total)];
  const speedUp = (row: Row): string =>
    row.libbzip2 !== undefined && row.ours !== undefined && row.ours > 0
      ? `${(row.libbzip2 / row.ours).toFixed(2)}x`
      : '—';
  const rows = profile.rows.map((row) => {
    // Ours' two stages are also summed beside libbzip2's merged one; its share is in brackets
    // there, since the two rows above already count it.
    const merged = row.libbzip2 !== undefined && row.stage.startsWith('MTF/RLE2 +');
    return [
      merged ? `_${row.stage}_` : row.stage,
      ...cell(row.libbzip2, libbzip2Total, false),
      ...cell(row.ours, oursTotal, merged),
      speedUp(row),
    ];
  });
  const perBlock = (seconds: number): string => (blocks > 0 ? ms(seconds / blocks) : '—');
  rows.push(
    [
      `**total** (${blocks} blocks)`,
      ms(libbzip2Total),
      '100 %',
      ms(oursTotal),
      '100 %',
      oursTotal > 0 ? `**${(libbzip2Total / oursTotal).toFixed(2)}x**` : '—',
    ],
    [
      'total per block',
      perBlock(libbzip2Total),
      '',
      perBlock(oursTotal),
      '',
      oursTotal > 0 ? `${(libbzip2Total / oursTotal).toFixed(2)}x` : '—',
    ],
  );
  const markdown = table(
    ['stage', 'libbzip2 ms', 'libbzip2 %', 'ours ms', 'ours %', 'speed-up'],
    ['left', 'right', 'right', 'right', 'right', 'right'],
    rows,
  );
  return profile.same
    ? markdown
    : `**FAILED: our bits differed from libbzip2's on at least one block; these times are not of the same output.**\n\n${markdown}`;
}

/** The section: a heading, what is measured, a table per dataset. */
export function profileSection(profiles: readonly DatasetProfile[]): string {
  const parts = [
    `## Where one thread's time goes: libbzip2's stages against ours (level ${LEVEL})`,
    '',
    "Thread CPU time of one thread (the calling thread's `CLOCK_THREAD_CPUTIME_ID`), measured " +
      "by the addon's bench-only `profileStages`: the input is cut into the blocks bzlib.c " +
      "makes, and each block is compressed both ways, libbzip2's `BZ2_compressBlock` and our " +
      "codec, on the same block in the same work arrays, so both columns are the same blocks' " +
      `work. Medians of ${PROFILE_ROUNDS} runs per stage; totals are the sums of those medians. ` +
      'Speed-up = libbzip2 ms ÷ ours ms.',
    '',
    '- RLE1 + CRC is one step both ways (the block is prepared once, then timed for both), so ' +
      'its speed-up is 1 by construction.',
    "- libbzip2's MTF/RLE2 and Huffman stages are static functions of compress.c that cannot " +
      'be timed apart: they are one row for it (in italics), with our two stages summed beside ' +
      'it (its share in brackets, since our two rows above already count it).',
    "- Finding block ends and joining are our pipeline's own steps (the main thread's work " +
      'when threaded); libbzip2 finds block ends inside its RLE1 and writes one stream, so it ' +
      'has no such rows.',
  ];
  for (const profile of profiles) {
    parts.push(
      '',
      `### ${profile.dataset.name}: ${profile.dataset.data.length} bytes`,
      '',
      profileTable(profile),
    );
  }
  return parts.join('\n');
}
