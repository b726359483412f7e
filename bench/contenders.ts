/**
 * Everything the benchmark times, behind one shape: a compressor and a decompressor over
 * in-memory Buffers. CPython is the exception: it runs in its own process (bench/python.ts).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { Bzip2 as CompressjsBzip2 } from 'compressjs';
import {
  BZ2Compressor,
  BZ2Decompressor,
  compress,
  compressSync,
  decompress,
  decompressSync,
  type DecompressOptions,
} from '../lib/index';
import { pipeThrough } from './cli';
import type { Peers } from './peers';
import { GZIP_LEVEL, LEVEL } from './settings';
import type { WasmBzip2 } from './wasm';

/**
 * `decompress` / `decompressSync` options asking for `threads` (issue 13). An intersection, so
 * that it type-checks whether or not lib's `DecompressOptions` declares `threads` yet; a library
 * that does not know the key ignores it and decodes on one thread.
 */
export type ThreadedDecompressOptions = DecompressOptions & { readonly threads: number };

/** The options of a decompression at `threads`. */
export const decompressAt = (threads: number): ThreadedDecompressOptions => ({ threads });

/** One direction of a tool: synchronous, or a promise for the asynchronous API. */
export type Codec = (input: Buffer) => Buffer | Promise<Buffer>;

export interface Contender {
  /** The row's label in the table. */
  readonly tool: string;
  /** The line in the threads chart; a series' contenders differ only in `threads`. */
  readonly series: string;
  readonly threads: number;
  /** bzip2 output is checked against `bzip2 -9`; gzip only for its round trip. */
  readonly format: 'bzip2' | 'gzip';
  /** Undefined when the tool cannot compress (shown as —). */
  readonly compress: Codec | undefined;
  /** Undefined when the tool cannot decompress (shown as —). */
  readonly decompress: Codec | undefined;
  /** Pure JavaScript, hundreds of times slower: compression gets one run only. */
  readonly slow: boolean;
}

/** Series names, shared by the table, the sweep and the chart. */
export const SERIES = {
  bzip2: 'bzip2 CLI',
  python: 'CPython bz2',
  oursSync: 'bz2-napi compressSync',
  oursAsync: 'bz2-napi compress()',
  oursClass: 'bz2-napi BZ2Compressor',
  lbzip2: 'lbzip2',
  pbzip2: 'pbzip2',
  compressjs: 'compressjs',
  wasm: 'libbzip2-wasm',
  gzip: 'node:zlib gzip',
} as const;

/**
 * The chart's legend: one name per tool family, so that a tool's compression line (top row)
 * and decompression line (bottom row) share a colour.
 */
export const CHART_NAME: Readonly<Record<string, string>> = {
  [SERIES.bzip2]: 'bzip2 CLI (-9 / -d)',
  [SERIES.python]: 'CPython bz2',
  [SERIES.oursSync]: 'bz2-napi compressSync / decompressSync',
  [SERIES.oursAsync]: 'bz2-napi compress() / decompress()',
  [SERIES.oursClass]: 'bz2-napi BZ2Compressor',
  [SERIES.lbzip2]: 'lbzip2 (-9 -n N / -d -n2)',
  [SERIES.pbzip2]: 'pbzip2 (-9 -pN / -d -p2)',
};

/** The legend name of `series`. */
export const chartName = (series: string): string => CHART_NAME[series] ?? series;

const asBuffer = (bytes: Uint8Array | number[]): Buffer =>
  bytes instanceof Uint8Array
    ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : Buffer.from(bytes);

/** The bzip2 CLI, the baseline every ratio is taken against. */
export function bzip2Cli(): Contender {
  return {
    tool: 'bzip2 -9 (CLI)',
    series: SERIES.bzip2,
    threads: 1,
    format: 'bzip2',
    compress: (data) => pipeThrough('bzip2', ['-9', '-c'], data),
    decompress: (packed) => pipeThrough('bzip2', ['-d', '-c'], packed),
    slow: false,
  };
}

/**
 * The contenders whose speed depends on a thread count: ours (sync, async and the Python-style
 * class, whose output must not change with `threads`), lbzip2 and pbzip2 (when installed).
 */
export function threadedContenders(threads: number, peers: Peers): Contender[] {
  const options = { level: LEVEL, threads };
  // The row's thread count for decompression too: without it, the default (the cores) applies.
  const unpackOptions = decompressAt(threads);
  const n = String(threads);
  const list: Contender[] = [
    {
      tool: 'bz2-napi compressSync / decompressSync',
      series: SERIES.oursSync,
      threads,
      format: 'bzip2',
      compress: (data) => compressSync(data, options),
      decompress: (packed) => decompressSync(packed, unpackOptions),
      slow: false,
    },
    {
      tool: 'bz2-napi compress() / decompress()',
      series: SERIES.oursAsync,
      threads,
      format: 'bzip2',
      compress: (data) => compress(data, options),
      decompress: (packed) => decompress(packed, unpackOptions),
      slow: false,
    },
    {
      // The class as Python code uses it: all input in one compress(), then flush().
      tool: `new BZ2Compressor(${LEVEL}${threads === 1 ? '' : `, { threads: ${n} }`}) / BZ2Decompressor`,
      series: SERIES.oursClass,
      threads,
      format: 'bzip2',
      compress: (data) => {
        const compressor =
          threads === 1 ? new BZ2Compressor(LEVEL) : new BZ2Compressor(LEVEL, { threads });
        return Buffer.concat([compressor.compress(data), compressor.flush()]);
      },
      decompress: (packed) => new BZ2Decompressor().decompress(packed),
      slow: false,
    },
  ];
  if (peers.versions.has('lbzip2')) {
    list.push({
      tool: `lbzip2 -9 -n ${n}`,
      series: SERIES.lbzip2,
      threads,
      format: 'bzip2',
      compress: (data) => pipeThrough('lbzip2', ['-9', '-n', n, '-c'], data),
      decompress: (packed) => pipeThrough('lbzip2', ['-d', '-n', n, '-c'], packed),
      slow: false,
    });
  }
  if (peers.versions.has('pbzip2')) {
    // pbzip2 writes one bzip2 stream per block; bzip2 -d and our decompressSync read them all.
    list.push({
      tool: `pbzip2 -9 -p${n}`,
      series: SERIES.pbzip2,
      threads,
      format: 'bzip2',
      compress: (data) => pipeThrough('pbzip2', ['-9', `-p${n}`, '-c'], data),
      decompress: (packed) => pipeThrough('pbzip2', ['-d', `-p${n}`, '-c'], packed),
      slow: false,
    });
  }
  return list;
}

/**
 * The single-threaded peers from npm and Node's own gzip, for context. `wasm` is undefined when
 * libbzip2-wasm did not load (the report says why).
 */
export function libraryContenders(wasm: WasmBzip2 | undefined): Contender[] {
  const list: Contender[] = [
    {
      tool: 'compressjs Bzip2 (pure JS)',
      series: SERIES.compressjs,
      threads: 1,
      format: 'bzip2',
      compress: (data) => asBuffer(CompressjsBzip2.compressFile(data, null, LEVEL)),
      decompress: (packed) => asBuffer(CompressjsBzip2.decompressFile(packed)),
      slow: true,
    },
  ];
  if (wasm) {
    list.push({
      tool: 'libbzip2-wasm (WebAssembly)',
      series: SERIES.wasm,
      threads: 1,
      format: 'bzip2',
      compress: (data) => wasm.compress(data, LEVEL),
      decompress: (packed) => wasm.decompress(packed),
      slow: false,
    });
  }
  list.push({
    tool: `gzip level ${GZIP_LEVEL} (node:zlib)`,
    series: SERIES.gzip,
    threads: 1,
    format: 'gzip',
    compress: (data) => gzipSync(data, { level: GZIP_LEVEL }),
    decompress: (packed) => gunzipSync(packed),
    slow: false,
  });
  return list;
}
