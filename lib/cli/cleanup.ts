/**
 * bzip2's rule for a partial output: when a file cannot be finished (an error, or SIGINT,
 * SIGTERM or SIGHUP while writing it), its output is deleted, but only while its input still
 * exists, so that no data is ever lost.
 * @internal
 * @packageDocumentation
 */
import { closeSync, statSync, unlinkSync } from 'node:fs';
import * as messages from './messages';

interface Partial {
  /** The output being written, deleted when it cannot be finished. */
  readonly output: string;
  readonly input: string;
  readonly fd: number;
}

let partial: Partial | undefined;

/** `output`, written from `input` on `fd`, is partial until {@link finished} is called. */
export function writing(output: string, input: string, fd: number): void {
  partial = { output, input, fd };
}

/** The output is complete and closed: it stays, whatever happens next. */
export function finished(): void {
  partial = undefined;
}

/**
 * Deletes the partial output, if there is one: synchronous, so that a signal handler can call
 * it and exit. `closeFd`: its descriptor is still open (a signal came while it was written);
 * an error path closes its FileHandle first, after which the number may belong to another file.
 * Returns what to tell the user.
 */
export function deletePartial(noisy: boolean, closeFd: boolean): string {
  const current = partial;
  partial = undefined;
  if (!current) return '';
  if (closeFd) {
    try {
      closeSync(current.fd); // before the unlink, which Windows refuses on an open file
    } catch {
      // nothing more can be done; the name is what matters
    }
  }
  try {
    statSync(current.input);
  } catch {
    return messages.deletionSuppressed(current.output);
  }
  let text = noisy ? messages.deletingOutput(current.output) : '';
  try {
    unlinkSync(current.output);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') text += messages.deletionFailed();
  }
  return text;
}

/** Runs `handler` (which must exit) on SIGINT, SIGTERM, and SIGHUP where there is one. */
export function onInterrupt(handler: () => void): void {
  const signals: NodeJS.Signals[] =
    process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, handler);
}
