/**
 * What some tests need that Windows (the win32-x64 prebuild's test host, run under wine by
 * scripts/platforms/wine.js) cannot give them: there each such suite or test registers a
 * pending test whose title says why, as the suites over ../shared do when it is missing.
 * Elsewhere they run, and a missing tool fails them: the comparisons are the point of them.
 */

/** The peers (helpers/peers.ts), which bz(), the CLI's table and the tool streams run. */
export const NEEDS_PEERS =
  'bzip2, lbzip2 and pbzip2 (the references), Linux programs from apt-get that a Windows process cannot run';

/** The title of the pending test that stands for what needs `needs` on Windows. */
export function notOnWindows(needs: string): string {
  return `skipped on Windows: needs ${needs}`;
}

/** On Windows, registers the visible skip of a suite that needs `needs`, and returns true. */
export function posixOnly(needs: string): boolean {
  if (process.platform !== 'win32') return false;
  it.skip(notOnWindows(needs));
  return true;
}

/** `it(title, fn)`, or on Windows its visible skip, the title saying what it needs. */
export function posixIt(needs: string, title: string, fn: () => Promise<void>): void {
  if (process.platform === 'win32') it.skip(`${title} (${notOnWindows(needs)})`);
  else it(title, fn);
}
