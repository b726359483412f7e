/**
 * Measurements in a child process, so that the peak RSS is the code's own and not the test
 * runner's: the body runs with `b` (the package, lib/index.ts), `native` (lib/native.ts) and
 * `measure(fn)` in scope, and must call `measure` once.
 */
import { join } from 'node:path';
import { runNode } from './node-process';

/** What `measure` reports, plus whatever its function returned. */
export interface Measurement {
  /** Growth of the peak RSS over the baseline taken just before `fn`, in bytes. */
  readonly grew: number;
  readonly seconds: number;
  readonly [key: string]: unknown;
}

const PREAMBLE = `
  require('tsx/cjs');
  const b = require(${JSON.stringify(join(__dirname, '..', '..', 'lib', 'index.ts'))});
  const { native } = require(${JSON.stringify(join(__dirname, '..', '..', 'lib', 'native.ts'))});
  async function measure(fn) {
    global.gc();
    const base = process.resourceUsage().maxRSS * 1024;
    const start = process.hrtime.bigint();
    const extra = (await fn()) || {};
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const grew = process.resourceUsage().maxRSS * 1024 - base;
    process.stdout.write(JSON.stringify({ ...extra, grew, seconds }));
  }
`;

/** Runs `body` (JavaScript) in a fresh Node with --expose-gc and returns its measurement. */
export function measureInChild(body: string, timeoutSeconds = 60): Measurement {
  const run = runNode(PREAMBLE + body, { exposeGc: true, timeoutSeconds });
  if (run.status !== 0) {
    throw new Error(`child failed (${run.signal ?? run.status}): ${run.stderr.slice(0, 2000)}`);
  }
  return JSON.parse(run.stdout) as Measurement;
}

/** Bytes in MiB, for messages. */
export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
