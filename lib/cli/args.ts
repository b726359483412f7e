/**
 * The command line, read as bzip2 1.0.8 reads it: flags and file names in any order, short flags
 * combined (`-dc`, `-9k`), bzip2's long forms, `--` ending the flags, and the flags of the
 * environment variables BZIP2 and BZIP placed first. Plus `-T N` / `--threads N`.
 *
 * Parsed with `node:util`'s parseArgs, or on Node 18.0-18.2, which lack it, with the same code
 * from its polyfill `@pkgjs/parseargs`.
 * @internal
 * @packageDocumentation
 */
import * as util from 'node:util';
import { defaultThreads } from '../options';

type ParseArgs = typeof util.parseArgs;

/**
 * node:util's parseArgs where it gives tokens (Node 18.7 on), else the same code from its
 * polyfill, loaded only there: loading it costs 9 ms of startup.
 */
function parser(): ParseArgs {
  const builtin = (util as Partial<typeof util>).parseArgs;
  if (builtin?.({ args: [], strict: false, tokens: true }).tokens !== undefined) return builtin;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only where needed
  return (require('@pkgjs/parseargs') as { parseArgs: ParseArgs }).parseArgs;
}

export type Mode = 'compress' | 'decompress' | 'test';

/** What the command line asks for. */
export interface Settings {
  readonly mode: Mode;
  /** Block size in 100 kB units: bzip2's -1 .. -9. */
  readonly level: number;
  /** -c: every output goes to stdout. */
  readonly toStdout: boolean;
  readonly keep: boolean;
  readonly force: boolean;
  /** Not -q: noncritical messages are shown. */
  readonly noisy: boolean;
  readonly verbosity: number;
  readonly threads: number;
  /** In order; `-` is stdin. Empty: stdin to stdout. */
  readonly files: readonly string[];
}

/** What to do: run on the files, print the help or the version, or refuse a bad flag. */
export type Request =
  | { readonly kind: 'run'; readonly settings: Settings }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'bad';
      readonly message: string;
      /** Whether the help follows (after an unknown flag, as bzip2 does; not after `-c -t`). */
      readonly usage: boolean;
    };

export interface CommandLine {
  readonly request: Request;
  /** Flags that bzip2 accepts and calls redundant (`--repetitive-fast`, `--repetitive-best`). */
  readonly redundant: readonly string[];
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

const OPTIONS = {
  compress: { type: 'boolean', short: 'z' },
  decompress: { type: 'boolean', short: 'd' },
  test: { type: 'boolean', short: 't' },
  stdout: { type: 'boolean', short: 'c' },
  keep: { type: 'boolean', short: 'k' },
  force: { type: 'boolean', short: 'f' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v', multiple: true },
  small: { type: 'boolean', short: 's' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  license: { type: 'boolean', short: 'L' },
  fast: { type: 'boolean' },
  best: { type: 'boolean' },
  threads: { type: 'string', short: 'T' },
  // Accepted as bzip2 accepts them; none changes the output.
  exponential: { type: 'boolean' },
  'repetitive-fast': { type: 'boolean' },
  'repetitive-best': { type: 'boolean' },
  ...Object.fromEntries(DIGITS.map((digit) => [digit, { type: 'boolean', short: digit }])),
} as const;

/** The whitespace-separated words of an environment variable (bzip2's addFlagsFromEnvVar). */
function words(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(/\s+/).filter((word) => word !== '');
}

/** `-T`'s value: a whole number of threads from 1 to 1024. */
function threadCount(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const count = Number(text);
  return count >= 1 && count <= 1024 ? count : undefined;
}

/**
 * Reads `argv` (without the node and script paths) with the flags of `env.BZIP2` and
 * `env.BZIP` first. The last of -z/-d/-t wins, and the last level.
 */
export function readCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): CommandLine {
  const args = [...words(env['BZIP2']), ...words(env['BZIP']), ...argv];
  // Not strict: an unknown flag comes back as a token, with the word it was in (`-kx`).
  const { tokens } = parser()({
    args,
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const bad = (message: string): CommandLine => ({
    request: { kind: 'bad', message, usage: true },
    redundant: [],
  });

  let mode: Mode = 'compress';
  let level = 9;
  let toStdout = false;
  let keep = false;
  let force = false;
  let noisy = true;
  let verbosity = 0;
  let small = false;
  let threads = defaultThreads();
  let help = false;
  let version = false;
  const redundant: string[] = [];
  const files: string[] = [];

  for (const token of tokens) {
    if (token.kind === 'positional') {
      files.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const { name, rawName } = token;
    const word = args[token.index] ?? rawName;
    const option = (OPTIONS as Record<string, { type: string } | undefined>)[name];
    // Unknown, a value given to a flag (`--stdout=yes`), or a digit as a long flag (`--9`).
    if (
      option === undefined ||
      (option.type === 'boolean' && token.value !== undefined) ||
      (DIGITS.includes(name as (typeof DIGITS)[number]) && rawName.startsWith('--'))
    ) {
      return bad(`Bad flag \`${word}'`);
    }
    if (DIGITS.includes(name as (typeof DIGITS)[number])) {
      level = Number(name);
      continue;
    }
    switch (name) {
      case 'compress':
        mode = 'compress';
        break;
      case 'decompress':
        mode = 'decompress';
        break;
      case 'test':
        mode = 'test';
        break;
      case 'stdout':
        toStdout = true;
        break;
      case 'keep':
        keep = true;
        break;
      case 'force':
        force = true;
        break;
      case 'quiet':
        noisy = false;
        break;
      case 'verbose':
        verbosity++;
        break;
      case 'small':
        small = true;
        break;
      case 'help':
        help = true;
        break;
      case 'version':
      case 'license':
        version = true;
        break;
      case 'fast':
        level = 1;
        break;
      case 'best':
        level = 9;
        break;
      case 'threads': {
        if (token.value === undefined)
          return bad(`Bad flag \`${word}': it needs a number of threads`);
        const count = threadCount(token.value);
        if (count === undefined) {
          return bad(
            `Bad thread count \`${token.value}' for ${rawName}: give a whole number from 1 to 1024`,
          );
        }
        threads = count;
        break;
      }
      case 'repetitive-fast':
      case 'repetitive-best':
        redundant.push(rawName);
        break;
      default: // --exponential: libbzip2's work factor, which never changes the output
        break;
    }
  }

  let request: Request;
  if (help) request = { kind: 'help' };
  else if (version) request = { kind: 'version' };
  else if (mode === 'test' && toStdout) {
    request = { kind: 'bad', message: '-c and -t cannot be used together.', usage: false };
  } else {
    // bzip2 -s compresses with 200 kB blocks at most (its "small" mode), so its bytes are -2's.
    if (mode === 'compress' && small && level > 2) level = 2;
    request = {
      kind: 'run',
      settings: { mode, level, toStdout, keep, force, noisy, verbosity, threads, files },
    };
  }
  return { request, redundant };
}
