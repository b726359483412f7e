/** Running a script in a fresh Node process, for what must not share this one's state. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** lib/index.ts, for scripts to require after `require('tsx/cjs')`. */
export const LIB = join(__dirname, '..', '..', 'lib', 'index.ts');

export interface NodeRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `script` with `node -e` (and --expose-gc if asked) and returns how it ended. */
export function runNode(
  script: string,
  options: { exposeGc?: boolean; env?: NodeJS.ProcessEnv; timeoutSeconds?: number } = {},
): NodeRun {
  const args = [...(options.exposeGc ? ['--expose-gc'] : []), '-e', script];
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: options.env ?? process.env,
    maxBuffer: 16 << 20,
    ...(options.timeoutSeconds === undefined ? {} : { timeout: options.timeoutSeconds * 1000 }),
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}
