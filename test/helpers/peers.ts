/**
 * The command-line peers the tests compare with (bzip2, lbzip2, pbzip2). A missing one is
 * installed the way the benchmark does it (bench/install-peers.sh: apt-get as root or with a
 * password-less sudo); if that fails, the suites that need them fail (they do not skip): the
 * comparisons are the point of them. On Windows alone they skip, saying why (helpers/posix.ts).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NEEDS_PEERS, notOnWindows } from './posix';

export const PEERS = ['bzip2', 'lbzip2', 'pbzip2'] as const;
export type Peer = (typeof PEERS)[number];

function onPath(tool: string): boolean {
  return spawnSync(tool, ['--help'], { stdio: 'ignore' }).error === undefined;
}

let problem: string | undefined | null = null;

/** Why the peers are not all there (after trying to install them), or undefined when they are. */
export function peersProblem(): string | undefined {
  if (problem !== null) return problem;
  // Nothing to install on Windows: the suites that need the peers skip there (helpers/posix.ts).
  if (process.platform === 'win32') return (problem = notOnWindows(NEEDS_PEERS));
  problem = undefined;
  if (PEERS.every(onPath)) return problem;
  const script = join(__dirname, '..', '..', 'bench', 'install-peers.sh');
  const run = spawnSync('bash', [script], { encoding: 'utf8', timeout: 300_000 });
  const missing = PEERS.filter((tool) => !onPath(tool));
  if (missing.length > 0) {
    problem = `${missing.join(', ')} not on PATH, and bench/install-peers.sh could not install them: ${run.stderr}`;
  }
  return problem;
}
