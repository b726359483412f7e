/**
 * Command-line compressors, run the same way for every one: the input on stdin and the output
 * read from stdout through pipes by `spawnSync`, so each is timed from spawn to exit on the same
 * in-memory data, with no file system in the way. That wall time includes starting the process
 * and copying the data through the pipes (a few milliseconds on tens of MB).
 */
import { spawnSync } from 'node:child_process';

/** Room for the largest output we expect (decompressing a few tens of MB). */
const MAX_BUFFER = 1 << 30;

/** Runs `program args` with `input` on stdin; returns stdout, or throws with its stderr. */
export function pipeThrough(program: string, args: readonly string[], input: Buffer): Buffer {
  const run = spawnSync(program, args, { input, maxBuffer: MAX_BUFFER });
  if (run.error) throw run.error;
  if (run.status !== 0) {
    const why = run.stderr.toString().trim() || `signal ${run.signal ?? '?'}`;
    throw new Error(
      `${program} ${args.join(' ')} exited with ${run.status ?? 'no status'}: ${why}`,
    );
  }
  return run.stdout;
}

/**
 * The version `program --version` reports, as captured by the first group of `pattern` (bzip2
 * prints it on stderr, the others on stdout); `unknown` when nothing matches, and undefined
 * when the program is not on PATH.
 */
export function programVersion(program: string, pattern: RegExp): string | undefined {
  // Empty stdin: an old bzip2 would otherwise wait for data after printing its banner.
  const run = spawnSync(program, ['--version'], { input: '', encoding: 'utf8' });
  if (run.error) return undefined;
  return pattern.exec(`${run.stdout}\n${run.stderr}`)?.[1] ?? 'unknown';
}
