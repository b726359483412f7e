/** The shared benchmark corpus (../shared/corpus beside the project root), read in place. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compressWhole, type Via } from './compress-whole';
import { sha256 } from './golden';

/** ../shared beside the project: the corpus and conformance files, never copied in. */
export const SHARED_DIR = join(__dirname, '..', '..', '..', 'shared');
export const CORPUS_DIR = join(SHARED_DIR, 'corpus');
export const CONFORMANCE_DIR = join(SHARED_DIR, 'conformance');

/**
 * The rows of ../shared/conformance/MANIFEST.tsv below its header, as columns (path, origin,
 * size, sha256, CPython's bz2.decompress verdict, BZ2Decompressor's); none when it is missing.
 */
export function conformanceRows(): string[][] {
  const file = join(CONFORMANCE_DIR, 'MANIFEST.tsv');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'));
}

/** Paths of the corpus's data files, or none when the corpus is not there. */
export function corpusFiles(): string[] {
  if (!existsSync(CORPUS_DIR)) return [];
  return readdirSync(CORPUS_DIR)
    .filter((name) => !name.endsWith('.md'))
    .sort()
    .map((name) => join(CORPUS_DIR, name));
}

/**
 * The title of the pending test that stands for a suite over ../shared/`what` when it is
 * missing: without it such a suite registers no test at all, and nothing shows it did not run.
 */
export function missingShared(what: string): string {
  return `skipped: ../shared/${what} not found beside the project`;
}

/** Registers the visible skip for a suite over the corpus, if the corpus is missing. */
export function skipIfNoCorpus(): boolean {
  if (corpusFiles().length > 0) return false;
  it.skip(missingShared('corpus'));
  return true;
}

const corpusDigests = new Map<string, Promise<string>>();

/**
 * sha256 of corpus `file` compressed at `level` through `options.via` at `options.threads`
 * (a stream is written in `chunkSize`-byte chunks), computed once per process: several suites
 * compare the same outputs with different references (BZ2Compressor, CPython).
 */
export function corpusDigest(
  file: string,
  level: number,
  options: { via: Via; threads: number; chunkSize?: number },
): Promise<string> {
  const { via, threads, chunkSize = 65536 } = options;
  const key = `${file}/${level}/${via}/${threads}/${via === 'stream' ? chunkSize : ''}`;
  let digest = corpusDigests.get(key);
  if (!digest) {
    const data = readFileSync(file);
    const chunks: Buffer[] = [];
    for (let at = 0; at < data.length; at += chunkSize)
      chunks.push(data.subarray(at, at + chunkSize));
    digest = compressWhole(data, { level, via, threads, chunks }).then(sha256);
    corpusDigests.set(key, digest);
  }
  return digest;
}
