/** Runs every contender on one dataset, in a fixed order, and reports progress on stderr. */
import { readFileSync } from 'node:fs';
import { pipeThrough } from './cli';
import {
  bzip2Cli,
  libraryContenders,
  SERIES,
  threadedContenders,
  type Contender,
} from './contenders';
import { cpuSnapshot, othersCores } from './contention';
import type { Dataset } from './datasets';
import { measure, roundTripError, type Measurement, type Reference } from './measure';
import type { Peers } from './peers';
import type { PythonTimes } from './python';
import type { DatasetResult } from './report';
import type { Settings } from './settings';
import type { WasmBzip2 } from './wasm';

/** CPython's result for this dataset, and the file holding its output. */
export interface PythonResult {
  readonly times: PythonTimes;
  readonly index: number;
  readonly output: string;
}

function progress(dataset: Dataset, row: Measurement, others: number | undefined): void {
  const bytes = dataset.data.length;
  const show = (outcome: Measurement['compress']): string =>
    outcome.kind === 'timed'
      ? `${(bytes / outcome.seconds / 1e6).toFixed(1)} MB/s (${outcome.runs} run${outcome.runs === 1 ? '' : 's'})`
      : outcome.kind === 'failed'
        ? `failed: ${outcome.reason}`
        : outcome.kind;
  process.stderr.write(
    `bench: ${dataset.name}: ${row.tool} [${row.threads}]: compress ${show(row.compress)}, ` +
      `decompress ${show(row.decompress)}` +
      (others === undefined ? '' : `; other processes used ${others.toFixed(2)} cores`) +
      '\n',
  );
}

/**
 * `bzip2 -9`'s output, the bytes "identical" is judged against; CPython's bz2 (the same
 * libbzip2 1.0.8 at the same level) stands in when the CLI is missing.
 */
export function makeReference(
  dataset: Dataset,
  peers: Peers,
  python: PythonResult | undefined,
): Reference | undefined {
  let reference: Reference | undefined;
  if (peers.versions.has('bzip2')) {
    reference = { bytes: pipeThrough('bzip2', ['-9', '-c'], dataset.data), by: 'bzip2 -9' };
  } else if (python) {
    reference = { bytes: readFileSync(python.output), by: "CPython's bz2.compress(data, 9)" };
  }
  if (reference && roundTripError('bzip2', reference.bytes, dataset.data) !== undefined) {
    throw new Error(`${reference.by} output for ${dataset.name} does not decompress to it`);
  }
  return reference;
}

/** CPython's numbers as a row, its output checked like everyone else's. */
function pythonRow(dataset: Dataset, python: PythonResult, reference?: Reference): Measurement {
  const result = python.times.results[python.index];
  if (!result) throw new Error('python3 returned too few results');
  const packed = readFileSync(python.output);
  const identical = reference ? packed.equals(reference.bytes) : undefined;
  const broken = identical ? undefined : roundTripError('bzip2', packed, dataset.data);
  return {
    tool: `CPython ${python.times.version} bz2.compress / decompress`,
    series: SERIES.python,
    threads: 1,
    compress:
      broken === undefined
        ? { kind: 'timed', ...result.compress }
        : { kind: 'failed', reason: broken },
    decompress: { kind: 'timed', ...result.decompress },
    compressedBytes: packed.length,
    identical,
  };
}

/** Measures everything on `dataset`; the sweep's extra thread counts get compression only. */
export async function runDataset(
  dataset: Dataset,
  settings: Settings,
  peers: Peers,
  wasm: WasmBzip2 | undefined,
  python: PythonResult | undefined,
): Promise<DatasetResult> {
  const start = cpuSnapshot();
  const reference = makeReference(dataset, peers, python);
  const conditions = {
    dataset,
    reference,
    budget: settings.budget,
    slowBudget: settings.slowBudget,
  };
  const rows: Measurement[] = [];
  const run = async (contender: Contender, withDecompress: boolean): Promise<void> => {
    const before = cpuSnapshot();
    const row = await measure(contender, conditions, withDecompress);
    progress(dataset, row, othersCores(before, cpuSnapshot()));
    rows.push(row);
  };

  if (peers.versions.has('bzip2')) await run(bzip2Cli(), true);
  if (python) rows.push(pythonRow(dataset, python, reference));
  for (const threads of settings.sweep) {
    for (const contender of threadedContenders(threads, peers)) {
      await run(contender, settings.tableThreads.includes(threads));
    }
  }
  for (const contender of libraryContenders(wasm)) await run(contender, true);
  return { dataset, reference, rows, othersCores: othersCores(start, cpuSnapshot()) };
}
