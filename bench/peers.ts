/**
 * The command-line peers (bzip2, lbzip2, pbzip2): which are here, after installing the missing
 * ones from Debian through bench/install-peers.sh when allowed. A peer that stays missing is
 * skipped with a note in the report; it never fails the benchmark.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { programVersion } from './cli';

export const PEER_PROGRAMS = ['bzip2', 'lbzip2', 'pbzip2'] as const;
export type PeerProgram = (typeof PEER_PROGRAMS)[number];

/** Finds the version number in each program's `--version` text. */
const VERSION: Readonly<Record<PeerProgram, RegExp>> = {
  bzip2: /Version (\d[\w.]*)/, // "bzip2, a block-sorting file compressor.  Version 1.0.8, ..."
  lbzip2: /lbzip2 version (\d[\w.]*)/, // "lbzip2 version 2.5"
  pbzip2: /Parallel BZIP2 v(\d[\w.]*)/, // "Parallel BZIP2 v1.1.13 [Dec 18, 2015]"
};

export interface Peers {
  /** `name version` of each program on PATH. */
  readonly versions: ReadonlyMap<PeerProgram, string>;
  /** One line per program still missing, saying why. */
  readonly skipped: readonly string[];
}

function probe(): Map<PeerProgram, string> {
  const found = new Map<PeerProgram, string>();
  for (const program of PEER_PROGRAMS) {
    const version = programVersion(program, VERSION[program]);
    if (version !== undefined) found.set(program, `${program} ${version}`);
  }
  return found;
}

/** Finds the peers, installing the missing ones first when `install` is true. */
export function findPeers(install: boolean): Peers {
  let versions = probe();
  let why = 'not installed, and BENCH_INSTALL=0';
  if (versions.size < PEER_PROGRAMS.length && install) {
    // The installer's chatter goes to our stderr: stdout is the report.
    const run = spawnSync('bash', [join(__dirname, 'install-peers.sh')], {
      stdio: ['ignore', 2, 2],
      timeout: 10 * 60 * 1000,
    });
    why =
      run.status === 0
        ? 'installed, yet not found'
        : 'not installed, and bench/install-peers.sh could not install it (see stderr)';
    versions = probe();
  }
  const skipped = PEER_PROGRAMS.filter((program) => !versions.has(program)).map(
    (program) => `${program}: ${why}`,
  );
  return { versions, skipped };
}
