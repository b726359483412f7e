/**
 * What the command line says, in bzip2 1.0.8's words (its messages, their order and their
 * layout), so that scripts and people reading bzip2's output read ours the same way.
 * @internal
 * @packageDocumentation
 */

export const PROGRAM = 'bz2-napi';

/** The help, bzip2's with `-T` added; printed by -h on stdout, and after a bad flag on stderr. */
export function usage(version: string, bzlibVersion: string): string {
  return `${PROGRAM} ${version}, bzip2 on every core: libbzip2 ${bzlibVersion}, the same bytes.

   usage: ${PROGRAM} [flags and input files in any order]

   -h --help           print this message
   -d --decompress     force decompression
   -z --compress       force compression
   -k --keep           keep (don't delete) input files
   -f --force          overwrite existing output files
   -t --test           test compressed file integrity
   -c --stdout         output to standard out
   -q --quiet          suppress noncritical error messages
   -v --verbose        be verbose
   -L --license        display software version & license
   -V --version        display software version & license
   -s --small          compress with 200k blocks at most, as bzip2 -s does
   -1 .. -9            set block size to 100k .. 900k
   --fast              alias for -1
   --best              alias for -9
   -T --threads N      use N threads (default: the available cores)

   If no file names are given, ${PROGRAM} compresses or decompresses
   from standard input to standard output; \`-' is standard input.
   You can combine short flags, so \`-v -4' means the same as -v4 or -4v, &c.
   Flags in the environment variables BZIP2 and BZIP come first.
   The output is byte for byte bzip2's at the same block size, whatever -T.
`;
}

/** -V / -L. */
export function versionText(version: string, bzlibVersion: string): string {
  return `${PROGRAM} ${version}, a block-sorting file compressor on libbzip2 ${bzlibVersion}.

   bz2-napi is free software under the MIT licence.
   libbzip2 is Copyright (C) 1996-2019 by Julian Seward, under the terms of
   its LICENSE file, which the package carries (deps/bzip2-1.0.8/LICENSE).

   This program is distributed in the hope that it will be useful,
   but WITHOUT ANY WARRANTY; without even the implied warranty of
   MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.
`;
}

const line = (text: string): string => `${PROGRAM}: ${text}\n`;

export const badFlag = (message: string): string => line(message);
export const redundant = (flag: string): string =>
  line(`${flag} is redundant in versions 0.9.5 and above`);
/** bzip2 says "input file" but, for -t, "input". */
export const cantOpenInput = (name: string, reason: string, testing = false): string =>
  line(`Can't open input ${testing ? '' : 'file '}${name}: ${reason}.`);
export const alreadyHasSuffix = (name: string, suffix: string): string =>
  line(`Input file ${name} already has ${suffix} suffix.`);
export const isDirectory = (name: string): string => line(`Input file ${name} is a directory.`);
export const notNormalFile = (name: string): string =>
  line(`Input file ${name} is not a normal file.`);
export const outputExists = (name: string): string => line(`Output file ${name} already exists.`);
export const hardLinks = (name: string, links: number): string =>
  line(`Input file ${name} has ${links} other link${links > 1 ? 's' : ''}.`);
export const cantCreateOutput = (name: string, reason: string): string =>
  line(`Can't create output file ${name}: ${reason}.`);
export const cantGuess = (name: string, output: string): string =>
  line(`Can't guess original name for ${name} -- using ${output}`);
export const notBzip2 = (name: string): string => line(`${name} is not a bzip2 file.`);
export const trailingGarbage = (name: string): string =>
  `\n${line(`${name}: trailing garbage after EOF ignored`)}`;

/** The refusals to put compressed data on a terminal, or to read it from one. */
export const noTerminal = (direction: 'write' | 'read'): string =>
  line(
    direction === 'write'
      ? "I won't write compressed data to a terminal."
      : "I won't read compressed data from a terminal.",
  ) + line(`For help, type: \`${PROGRAM} --help'.`);

/** -t's verdict on one file, after `bz2-napi: name: ` (or the -v line's `  name: `). */
export const TEST_VERDICTS = {
  data: 'data integrity (CRC) error in data',
  truncated: 'file ends unexpectedly',
  magic: 'bad magic number (file not created by bzip2)',
  trailing: 'trailing garbage after EOF ignored',
} as const;

export const testPrefix = (name: string): string => `${PROGRAM}: ${name}: `;

/** After every -t of several files, when one failed. */
export const RECOVER_ADVICE =
  "\nYou can use the `bzip2recover' program to attempt to recover\n" +
  'data from undamaged sections of corrupted files.\n\n';

const CORRUPT_ADVICE =
  '\nIt is possible that the compressed file(s) have become corrupted.\n' +
  `You can use the -tv option to test integrity of such files.\n${RECOVER_ADVICE}`;

/** The names bzip2 shows with a fatal error. */
export const fileNames = (input: string, output: string): string =>
  `\tInput file = ${input}, output file = ${output}\n`;

/** The fatal errors; each ends the run, with the file names shown when `noisy`. */
export type Fatal =
  | { readonly kind: 'data' }
  | { readonly kind: 'truncated' }
  | { readonly kind: 'io'; readonly reason: string }
  | { readonly kind: 'memory' }
  | { readonly kind: 'panic'; readonly detail: string };

export function fatalText(fatal: Fatal, names: string, noisy: boolean): string {
  const shown = noisy ? names : '';
  switch (fatal.kind) {
    case 'data':
      return `\n${line('Data integrity error when decompressing.')}${shown}${noisy ? CORRUPT_ADVICE : ''}`;
    case 'truncated':
      return noisy
        ? `\n${line('Compressed file ends unexpectedly;')}\tperhaps it is corrupted?\n${shown}${CORRUPT_ADVICE}`
        : '';
    case 'io':
      return `\n${line('I/O or other error, bailing out.  Possible reason follows.')}${line(fatal.reason)}${shown}`;
    case 'memory':
      return `\n${line("couldn't allocate enough memory")}${shown}`;
    case 'panic':
      return (
        `\n${line('PANIC -- internal consistency error:')}\t${fatal.detail}\n` +
        `\tThis is a BUG.  Please report it, with the command line and the file if you can.\n${shown}`
      );
  }
}

export const signalCaught = (): string => `\n${line('Control-C or similar caught, quitting.')}`;
export const deletingOutput = (name: string): string =>
  line(`Deleting output file ${name}, if it exists.`);
export const deletionFailed = (): string =>
  line('WARNING: deletion of output file (apparently) failed.');
export const deletionSuppressed = (name: string): string =>
  line('WARNING: deletion of output file suppressed') +
  line('   since input file no longer exists.  Output file') +
  line(`   \`${name}' may be incomplete.`) +
  line(`   I suggest doing an integrity test (${PROGRAM} -tv) of it.`);
export const unprocessed = (given: number, left: number): string =>
  line('WARNING: some files have not been processed:') +
  line(`   ${given} specified on command line, ${left} not processed yet.`) +
  '\n';

/** C's `%6.3f`, `%5.2f`: fixed decimals, right-aligned in a field of `width`. */
const fixed = (value: number, decimals: number, width: number): string =>
  value.toFixed(decimals).padStart(width);

/** -v's report of one compressed file, after `  name: `. */
export function ratioLine(bytesIn: number, bytesOut: number): string {
  if (bytesIn === 0) return ' no data compressed.\n';
  return (
    `${fixed(bytesIn / bytesOut, 3, 6)}:1, ${fixed((8 * bytesOut) / bytesIn, 3, 6)} bits/byte, ` +
    `${fixed(100 * (1 - bytesOut / bytesIn), 2, 5)}% saved, ${bytesIn} in, ${bytesOut} out.\n`
  );
}

/** -v's `  name: ` before the result, padded to the longest name given (at least 7). */
export function verbosePrefix(name: string, longest: number): string {
  return `  ${name}: ${' '.repeat(Math.max(0, longest - name.length))}`;
}

/** glibc's strerror for the errors a file command meets (libuv words some of them otherwise). */
const STRERROR: Readonly<Record<string, string>> = {
  EACCES: 'Permission denied',
  EAGAIN: 'Resource temporarily unavailable',
  EBADF: 'Bad file descriptor',
  EBUSY: 'Device or resource busy',
  EDQUOT: 'Disk quota exceeded',
  EEXIST: 'File exists',
  EFBIG: 'File too large',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  EMFILE: 'Too many open files',
  ENAMETOOLONG: 'File name too long',
  ENFILE: 'Too many open files in system',
  ENODEV: 'No such device',
  ENOENT: 'No such file or directory',
  ENOMEM: 'Cannot allocate memory',
  ENOSPC: 'No space left on device',
  ENOTDIR: 'Not a directory',
  ENXIO: 'No such device or address',
  EPERM: 'Operation not permitted',
  EPIPE: 'Broken pipe',
  EROFS: 'Read-only file system',
  ETXTBSY: 'Text file busy',
  EXDEV: 'Invalid cross-device link',
};

/**
 * C's strerror for a Node file system error, as bzip2 prints it: glibc's words for its code, else
 * libuv's description of it, capitalised.
 */
export function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && STRERROR[code] !== undefined) return STRERROR[code];
  const message = error instanceof Error ? error.message : String(error);
  const described = /^[A-Z0-9_]+: ([^,]+)/.exec(message)?.[1] ?? message;
  return described.charAt(0).toUpperCase() + described.slice(1);
}
