/**
 * The options of the one-shot functions and streams, and their validation.
 * @packageDocumentation
 */
import { constants } from 'node:buffer';
import * as os from 'node:os';
import { checkInteger, checkLevel, checkOptions, checkSignal } from './validate';

/** Options of `compressSync`, `compress` and `createCompressStream`. */
export interface CompressOptions {
  /** Block size in units of 100 kB, an integer from 1 to 9 (default 9). */
  level?: number | undefined;
  /**
   * Threads to compress with, an integer of at least 1 (default: the available cores). Changes
   * speed only, never the output bytes.
   */
  threads?: number | undefined;
  /** Abandons the work when aborted. */
  signal?: AbortSignal | undefined;
}

/** Options of `decompressSync`, `decompress` and `createDecompressStream`. */
export interface DecompressOptions {
  /**
   * The most bytes the output may have (default `buffer.constants.MAX_LENGTH`); more is an
   * `ERR_BUFFER_TOO_LARGE` error, found without allocating far beyond the limit.
   */
  maxOutputLength?: number | undefined;
  /**
   * Threads to decode with, an integer from 1 to 1024 (default: the available cores): the blocks
   * of a stream are decoded at once. Changes speed only, never the output or the error.
   */
  threads?: number | undefined;
  /** Abandons the work when aborted. */
  signal?: AbortSignal | undefined;
}

/** Validated compress options. @internal */
export interface ResolvedCompressOptions {
  readonly level: number;
  readonly threads: number;
  readonly signal: AbortSignal | undefined;
}

/** Validated decompress options. @internal */
export interface ResolvedDecompressOptions {
  readonly maxOutputLength: number;
  readonly threads: number;
  readonly signal: AbortSignal | undefined;
}

/** The most threads any call may ask for. */
const MAX_THREADS = 1024;

/**
 * The default `threads`: the cores this process may use. `os.availableParallelism` exists from
 * Node 18.14; before that, the CPU count (what it falls back to itself), never below 1 (an empty
 * `os.cpus()` in some sandboxes) nor above what the option allows. Read at each call, not at
 * load, so that a process whose affinity changes gets the figure of the moment.
 * @internal
 */
export function defaultThreads(): number {
  const available = (os as { availableParallelism?: () => number }).availableParallelism;
  const cores = typeof available === 'function' ? available() : os.cpus().length;
  return Math.min(Math.max(cores, 1), MAX_THREADS);
}

/**
 * The `threads` option of any call: an integer from 1 to 1024, or `fallback` when undefined.
 * @param name - how the error names it, e.g. `options.threads`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for a non-number.
 * @throws RangeError `ERR_OUT_OF_RANGE` for NaN, ±Infinity, fractions, and numbers out of range.
 * @internal
 */
export function checkThreads(value: unknown, name: string, fallback: number): number {
  return checkInteger(value, name, 1, MAX_THREADS, fallback);
}

/** `options.threads`, the available cores when undefined. */
function threadsOption(options: Record<string, unknown>): number {
  const value = options['threads'];
  return value === undefined ? defaultThreads() : checkThreads(value, 'options.threads', 1);
}

/** A number is the level; undefined means every default. @internal */
export function resolveCompressOptions(value: unknown): ResolvedCompressOptions {
  if (typeof value === 'number') {
    return {
      level: checkLevel(value, 'level'),
      threads: defaultThreads(),
      signal: undefined,
    };
  }
  const options = checkOptions(value, 'options');
  return {
    level: checkLevel(options['level'], 'options.level'),
    threads: threadsOption(options),
    signal: checkSignal(options['signal'], 'options.signal'),
  };
}

/** @internal */
export function resolveDecompressOptions(value: unknown): ResolvedDecompressOptions {
  const options = checkOptions(value, 'options');
  return {
    maxOutputLength: checkInteger(
      options['maxOutputLength'],
      'options.maxOutputLength',
      1,
      constants.MAX_LENGTH,
      constants.MAX_LENGTH,
    ),
    threads: threadsOption(options),
    signal: checkSignal(options['signal'], 'options.signal'),
  };
}
