/**
 * The command line's run: reads it, handles each input in turn, and gives bzip2's exit status
 * (0 ok, 1 an environment problem, 2 corrupt input, 3 an internal error; the worst wins).
 * A fatal error (corrupt data while decompressing, an I/O error) stops the run, as in bzip2.
 * @internal
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bzlibVersion } from '../index';
import { readCommandLine, type Settings } from './args';
import * as cleanup from './cleanup';
import * as messages from './messages';
import { processFile, Stop, type Reporter } from './process-file';
import type { Progress } from './progress';

/** package.json's version (from dist/cli or lib/cli alike). */
function packageVersion(): string {
  const text = readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function writeErr(text: string): void {
  if (text !== '') process.stderr.write(text);
}

class Run implements Reporter {
  readonly settings: Settings;
  readonly longest: number;
  bar: Progress | undefined;
  #pending = '';
  #exit = 0;
  #testFailures = 0;

  constructor(settings: Settings) {
    this.settings = settings;
    this.longest = Math.max(7, ...settings.files.map((name) => name.length));
  }

  get exitCode(): number {
    return this.#exit;
  }

  get testFailures(): number {
    return this.#testFailures;
  }

  say(text: string): void {
    if (text === '') return;
    this.bar?.clear();
    this.bar = undefined;
    writeErr(this.#pending + text);
    this.#pending = '';
  }

  prefix(text: string): void {
    this.#pending = text;
  }

  setExit(code: number): void {
    this.#exit = Math.max(this.#exit, code);
  }

  testFailed(): void {
    this.#testFailures++;
  }
}

/** Runs the command line `argv` (after the script's path); resolves to the exit status. */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { request, redundant } = readCommandLine(argv, env);
  for (const flag of redundant) writeErr(messages.redundant(flag));
  switch (request.kind) {
    case 'help':
      process.stdout.write(messages.usage(packageVersion(), bzlibVersion));
      return 0;
    case 'version':
      process.stdout.write(messages.versionText(packageVersion(), bzlibVersion));
      return 0;
    case 'bad':
      writeErr(messages.badFlag(request.message));
      if (request.usage) writeErr(messages.usage(packageVersion(), bzlibVersion));
      return 1;
    case 'run':
      break;
  }

  const { settings } = request;
  const state = new Run(settings);
  // An unhandled 'error' event would throw; each write's callback gets the error instead.
  process.stdout.on('error', () => undefined);
  const inputs = settings.files.length > 0 ? settings.files : ['-'];
  let processed = 0;

  const stopNow = (exitCode: number): number => {
    const given = settings.files.length;
    if (settings.noisy && given > 0 && processed < given) {
      writeErr(messages.unprocessed(given, given - processed));
    }
    return Math.max(state.exitCode, exitCode);
  };

  // SIGINT and the like, on named files (as bzip2): a partial output goes, the input stays, and
  // the files not processed yet are counted.
  if (!settings.toStdout && settings.files.some((f) => f !== '-')) {
    cleanup.onInterrupt(() => {
      state.bar?.clear();
      writeErr(messages.signalCaught());
      writeErr(cleanup.deletePartial(settings.noisy, true));
      process.exit(stopNow(1));
    });
  }

  for (const name of inputs) {
    processed++;
    try {
      await processFile(name, state);
    } catch (error) {
      if (error instanceof Stop) return stopNow(error.exitCode);
      state.say(messages.fatalText({ kind: 'panic', detail: String(error) }, '', false));
      writeErr(cleanup.deletePartial(settings.noisy, false));
      return stopNow(3);
    }
  }
  if (state.testFailures > 0) {
    if (settings.noisy) writeErr(messages.RECOVER_ADVICE);
    state.setExit(2);
  }
  return state.exitCode;
}
