/**
 * Output file names, derived as bzip2 derives them.
 * @internal
 * @packageDocumentation
 */

/** bzip2's suffix pairs: a compressed name's ending and what it stands for once decompressed. */
const SUFFIXES: readonly (readonly [compressed: string, plain: string])[] = [
  ['.bz2', ''],
  ['.bz', ''],
  ['.tbz2', '.tar'],
  ['.tbz', '.tar'],
];

/** The compressed suffix `name` already has, if any (bzip2 will not compress it again). */
export function compressedSuffix(name: string): string | undefined {
  return SUFFIXES.find(([compressed]) => name.endsWith(compressed))?.[0];
}

/** `file` → `file.bz2`. */
export function compressedName(name: string): string {
  return `${name}.bz2`;
}

/**
 * `file.bz2` → `file`, `file.tbz2` → `file.tar`; an unknown suffix gives `file.out`, and
 * `guessed: false` so that the caller warns as bzip2 does.
 */
export function decompressedName(name: string): { name: string; guessed: boolean } {
  for (const [compressed, plain] of SUFFIXES) {
    if (name.endsWith(compressed)) {
      return { name: name.slice(0, name.length - compressed.length) + plain, guessed: true };
    }
  }
  return { name: `${name}.out`, guessed: false };
}
