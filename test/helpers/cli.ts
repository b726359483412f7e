/**
 * Running the `bz2-napi` executable as a user does: the compiled bin (dist/cli/main.js, which
 * `npm test`'s pretest rebuilds) in a child process, in a folder of its own, beside bzip2 run
 * the same way.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SLOWDOWN } from './host';
import { PEERS, type Peer } from './peers';

/** The executable that package.json's `bin` names. */
export const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

export interface Ran {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  /** stdin's bytes (default: empty). */
  readonly input?: Buffer | string;
  /** Added to a copy of this process's environment (BZIP2/BZIP removed unless given). */
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** Runs `command args` to its end, stdin fed from `input`, stdout and stderr collected. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['BZIP2'];
  delete env['BZIP'];
  // The peers are not ours to sanitize: under scripts/sanitize.sh they would run with ASan
  // preloaded (slower, and bzip2 leaks by design when it exits on an error).
  if (PEERS.includes(command as Peer)) delete env['LD_PRELOAD'];
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: 'pipe' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => undefined); // a child that stops reading early
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000 * SLOWDOWN);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({
        status,
        signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString(),
      });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs `bz2-napi args`. */
export function cli(args: readonly string[], options: RunOptions = {}): Promise<Ran> {
  return runCommand(process.execPath, [BIN, ...args], options);
}

/** Runs `bzip2 args` (the reference). */
export function bzip2(args: readonly string[], options: RunOptions = {}): Promise<Ran> {
  return runCommand('bzip2', args, options);
}

/** bzip2's stderr in our words: its program name is ours. */
export function asOurs(stderr: string): string {
  return stderr.replace(/\bbzip2:/g, 'bz2-napi:');
}

/** A fresh temporary folder, removed by the returned function. */
export function tempFolder(prefix = 'bz2-napi-cli-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
