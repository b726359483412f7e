/**
 * One input of the command line, as bzip2 1.0.8 handles it: its checks in bzip2's order, the
 * data path, and the ending: the output's mode and times set from the input, the input removed
 * (without -k) only once the output is complete and closed, and on any failure the partial
 * output deleted.
 * @internal
 * @packageDocumentation
 */
import type { Stats } from 'node:fs';
import { fstatSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { Readable, Transform } from 'node:stream';
import { codeOf } from '../errors';
import { createCompressStream, createDecompressStream, ignoredTrailingData } from '../streams';
import type { Settings } from './args';
import * as cleanup from './cleanup';
import * as messages from './messages';
import { compressedName, compressedSuffix, decompressedName } from './names';
import { Input, Output, pump, startsLikeBzip2 } from './pipe';
import { Progress } from './progress';

/** What a file reports to the run. */
export interface Reporter {
  readonly settings: Settings;
  /** The longest file name given (at least 7), to which -v pads the names. */
  readonly longest: number;
  /** Writes to stderr, after the -v prefix still pending and with any progress bar cleared. */
  say(text: string): void;
  /** Text to write before the next {@link Reporter.say} (the -v `  name: `). */
  prefix(text: string): void;
  /** bzip2's setExit: the exit status is the worst so far. */
  setExit(code: number): void;
  /** A -t verdict was not "ok". */
  testFailed(): void;
  /** The bar on the screen now, cleared before any message. */
  bar: Progress | undefined;
}

/** A fatal error: it has been reported; the run stops with `exitCode`. */
export class Stop extends Error {
  constructor(readonly exitCode: number) {
    super(`stopped with exit code ${exitCode}`);
  }
}

/** Where the bytes come from and go: stdin to stdout, a file to stdout, a file to a file. */
type Route = 'stdin' | 'to-stdout' | 'to-file';

async function lstatOrUndefined(name: string): Promise<Stats | undefined> {
  try {
    return await fsp.lstat(name);
  } catch {
    return undefined;
  }
}

/** The size of stdin when it is a regular file (for the bar), else undefined. */
function stdinSize(): number | undefined {
  try {
    const stat = fstatSync(0);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

/** The fatal error an exception stands for, and the exit code it ends the run with. */
function fatalOf(error: unknown): { fatal: messages.Fatal | undefined; exitCode: number } {
  const code = codeOf(error);
  if (code === 'ERR_BZ2_DATA') return { fatal: { kind: 'data' }, exitCode: 2 };
  if (code === 'ERR_BZ2_TRUNCATED') return { fatal: { kind: 'truncated' }, exitCode: 2 };
  if (code === 'ERR_BZ2_MEMORY') return { fatal: { kind: 'memory' }, exitCode: 1 };
  // A reader that went away (`| head`): bzip2 dies of SIGPIPE there, silently.
  if (code === 'EPIPE') return { fatal: undefined, exitCode: 1 };
  if ((error as { syscall?: unknown }).syscall !== undefined) {
    return { fatal: { kind: 'io', reason: messages.reasonOf(error) }, exitCode: 1 };
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { fatal: { kind: 'panic', detail }, exitCode: 3 };
}

/** Compresses, decompresses or tests `name` (`-`: stdin), as the settings say. */
export async function processFile(name: string, r: Reporter): Promise<void> {
  const s = r.settings;
  const route: Route =
    name === '-' ? 'stdin' : s.toStdout || s.mode === 'test' ? 'to-stdout' : 'to-file';
  const inName = route === 'stdin' ? '(stdin)' : name;
  let outName = s.mode === 'test' ? '(none)' : '(stdout)';
  let guessed = true;
  if (route === 'to-file') {
    if (s.mode === 'compress') outName = compressedName(name);
    else ({ name: outName, guessed } = decompressedName(name));
  }
  const refuse = (text: string, always = true): void => {
    if (always || s.noisy) r.say(text);
    r.setExit(1);
  };

  // The checks, in bzip2's order.
  if (route !== 'stdin') {
    let stat: Stats;
    try {
      stat = await fsp.stat(name);
    } catch (error) {
      refuse(messages.cantOpenInput(name, messages.reasonOf(error), s.mode === 'test'));
      return;
    }
    const suffix = s.mode === 'compress' ? compressedSuffix(name) : undefined;
    if (suffix !== undefined) {
      refuse(messages.alreadyHasSuffix(name, suffix), false);
      return;
    }
    if (stat.isDirectory()) {
      refuse(messages.isDirectory(name));
      return;
    }
  }
  if (route === 'to-file') {
    const link = await lstatOrUndefined(name);
    if (!s.force && link?.isFile() !== true) {
      refuse(messages.notNormalFile(name), false);
      return;
    }
    if (!guessed && s.noisy) r.say(messages.cantGuess(name, outName));
    if ((await lstatOrUndefined(outName)) !== undefined) {
      if (!s.force) {
        refuse(messages.outputExists(outName));
        return;
      }
      await fsp.rm(outName, { force: true }).catch(() => undefined); // creating it will tell
    }
    if (!s.force && link !== undefined && link.nlink > 1) {
      refuse(messages.hardLinks(name, link.nlink - 1));
      return;
    }
  }
  if (s.mode === 'compress' && route !== 'to-file' && process.stdout.isTTY) {
    refuse(messages.noTerminal('write'));
    return;
  }
  if (s.mode !== 'compress' && route === 'stdin' && process.stdin.isTTY) {
    refuse(messages.noTerminal('read'));
    return;
  }

  // The input: its stat (for the bar, and for the output's mode and times).
  let source: Readable;
  let size: number | undefined;
  let meta: Stats | undefined;
  if (route === 'stdin') {
    source = process.stdin;
    size = stdinSize();
  } else {
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(name, 'r');
      meta = await handle.stat();
      size = meta.size;
      source = handle.createReadStream({ highWaterMark: 1 << 20 });
    } catch (error) {
      await handle?.close().catch(() => undefined);
      refuse(messages.cantOpenInput(name, messages.reasonOf(error), s.mode === 'test'));
      return;
    }
  }
  if (s.verbosity >= 1) r.prefix(messages.verbosePrefix(inName, r.longest));

  let file: fsp.FileHandle | undefined;
  /** Reports a fatal error, deletes the partial output, and stops the run. */
  const fail = async (error: unknown): Promise<never> => {
    const failure = fatalOf(error);
    await file?.close().catch(() => undefined);
    if (failure.fatal) {
      r.say(messages.fatalText(failure.fatal, messages.fileNames(inName, outName), s.noisy));
    }
    r.say(cleanup.deletePartial(s.noisy, false));
    throw new Stop(failure.exitCode);
  };

  const bar = await Progress.maybe(inName, size, s.noisy);
  r.bar = bar;
  let bytesIn = 0;
  try {
    let input: Input;
    try {
      input = await Input.open(source, (bytes) => {
        bytesIn += bytes;
        bar?.advance(bytes);
      });
    } catch (error) {
      return await fail(error);
    }

    // Not a bzip2 file: said before any output exists, or (-df) passed on as it is, as bzip2 does.
    let copy = false;
    if (s.mode !== 'compress' && !startsLikeBzip2(input.head)) {
      if (s.mode === 'decompress' && s.force) {
        copy = true;
      } else {
        await input.close();
        const words =
          s.mode === 'test' ? `${messages.TEST_VERDICTS.magic}\n` : 'not a bzip2 file.\n';
        if (s.verbosity >= 1) r.say(words);
        else
          r.say(
            s.mode === 'test' ? messages.testPrefix(inName) + words : messages.notBzip2(inName),
          );
        if (s.mode === 'test') r.testFailed();
        r.setExit(2);
        return;
      }
    }

    let output: Output;
    if (route === 'to-file') {
      try {
        file = await fsp.open(outName, 'wx', 0o600); // never over a file that appeared meanwhile
      } catch (error) {
        await input.close();
        refuse(messages.cantCreateOutput(outName, messages.reasonOf(error)));
        return;
      }
      cleanup.writing(outName, name, file.fd);
      output = Output.file(file);
    } else {
      output = s.mode === 'test' ? Output.none() : Output.stdout();
    }

    let transform: Transform | undefined;
    if (s.mode === 'compress') {
      transform = createCompressStream({ level: s.level, threads: s.threads });
    } else if (!copy) {
      transform = createDecompressStream({ threads: s.threads });
    }

    try {
      await pump(input, transform, output);
      if (file !== undefined && meta !== undefined) {
        await file.chmod(meta.mode & 0o7777);
        await file.chown(meta.uid, meta.gid).catch(() => undefined); // EPERM, as bzip2 ignores
        await file.utimes(meta.atimeMs / 1000, meta.mtimeMs / 1000);
        const closing = file;
        file = undefined;
        await closing.close();
      }
      cleanup.finished();
      if (route === 'to-file' && !s.keep) await fsp.unlink(name);
    } catch (error) {
      const failure = fatalOf(error);
      if (s.mode === 'test' && failure.exitCode === 2) {
        const verdict =
          failure.fatal?.kind === 'data'
            ? messages.TEST_VERDICTS.data
            : messages.TEST_VERDICTS.truncated;
        r.say(`${s.verbosity >= 1 ? '' : messages.testPrefix(inName)}${verdict}\n`);
        r.testFailed();
        return;
      }
      return await fail(error);
    }

    if (transform !== undefined && s.mode !== 'compress' && ignoredTrailingData(transform)) {
      if (s.mode === 'test') {
        const text = `${messages.TEST_VERDICTS.trailing}\n`;
        if (s.verbosity >= 1) r.say(text);
        else if (s.noisy) r.say(messages.testPrefix(inName) + text);
      } else if (s.noisy) {
        r.say(messages.trailingGarbage(inName));
      }
    }
    if (s.verbosity >= 1) {
      if (s.mode === 'compress') r.say(messages.ratioLine(bytesIn, output.bytes));
      else r.say(s.mode === 'test' ? 'ok\n' : 'done\n');
    }
  } finally {
    bar?.clear();
    r.bar = undefined;
  }
}
