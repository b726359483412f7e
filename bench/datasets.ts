/**
 * The two large inputs every tool compresses: real data from outside the project, repeated or
 * cut to the same size so that each spans many level-9 blocks (a block-parallel compressor has
 * nothing to split in less than two blocks, and the targets are stated for at least eight).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { corpusFiles, CORPUS_DIR } from '../test/helpers/corpus';
import { BLOCK_BYTES } from './settings';

export interface Dataset {
  /** Short name, for file names and chart panels. */
  readonly name: string;
  /** Where the bytes come from, for the report. */
  readonly origin: string;
  readonly data: Buffer;
}

/** `parts` end to end, repeated as needed and cut to exactly `bytes`. */
function fill(parts: readonly Buffer[], bytes: number): Buffer {
  const once = parts.reduce((sum, part) => sum + part.length, 0);
  if (once === 0) throw new Error('no bytes to build a dataset from');
  const copies = Math.ceil(bytes / once);
  const all: Buffer[] = [];
  for (let i = 0; i < copies; i++) all.push(...parts);
  // Buffer.concat truncates to totalLength.
  return Buffer.concat(all, bytes);
}

/** How many level-9 blocks `bytes` fill, at most (run-length coding can pack more in a block). */
export const blocks = (bytes: number): number => Math.ceil(bytes / BLOCK_BYTES);

/** The shared corpus (../shared/corpus, see its MANIFEST.md), files in name order. */
export function corpusDataset(bytes: number): Dataset {
  const files = corpusFiles();
  if (files.length === 0) throw new Error(`no corpus: expected ${CORPUS_DIR}`);
  const parts = files.map((file) => readFileSync(file));
  const once = parts.reduce((sum, part) => sum + part.length, 0);
  return {
    name: 'corpus',
    origin:
      `the ${files.length} files of ../shared/corpus (snappy's test data: text, HTML, PDF, JPEG, ` +
      `protobuf, URLs; ${once} bytes) concatenated in name order, repeated and cut to ${bytes} bytes`,
    data: fill(parts, bytes),
  };
}

/**
 * Source text from a pinned package already installed as a devDependency: the `.js` and `.d.ts`
 * files of `typescript` (one large JavaScript program plus the standard library declarations),
 * in path order. About 20 MB of text, so at the default size it is barely repeated.
 */
export function typescriptDataset(bytes: number): Dataset {
  const manifest = require.resolve('typescript/package.json');
  const root = dirname(manifest);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const names = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js') || name.endsWith('.d.ts'))
    .filter((name) => !name.split(/[\\/]/).includes('node_modules'))
    .sort();
  const parts = names.map((name) => readFileSync(join(root, name)));
  const once = parts.reduce((sum, part) => sum + part.length, 0);
  return {
    name: 'typescript',
    origin:
      `the ${names.length} .js and .d.ts files of the npm package typescript@${version} ` +
      `(${once} bytes) concatenated in path order, ${once >= bytes ? 'cut' : 'repeated and cut'} to ${bytes} bytes`,
    data: fill(parts, bytes),
  };
}
