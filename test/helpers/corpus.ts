/** The shared benchmark corpus (../shared/corpus beside the project root), read in place. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS_DIR = join(__dirname, '..', '..', '..', 'shared', 'corpus');

/** Paths of the corpus's data files, or none when the corpus is not there. */
export function corpusFiles(): string[] {
  if (!existsSync(CORPUS_DIR)) return [];
  return readdirSync(CORPUS_DIR)
    .filter((name) => !name.endsWith('.md'))
    .sort()
    .map((name) => join(CORPUS_DIR, name));
}
