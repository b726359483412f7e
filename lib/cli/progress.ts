/**
 * The progress bar: on stderr, only when it is a terminal and the file is large, drawn by
 * `cli-progress` a few times a second and cleared at the end.
 * @internal
 * @packageDocumentation
 */
import type { SingleBar } from 'cli-progress';

/** Files smaller than this finish before a bar would tell anything. */
export const PROGRESS_MIN_BYTES = 4 << 20;

const MB = 1e6;

function megabytes(bytes: number): string {
  return (bytes / MB).toFixed(bytes < 100 * MB ? 1 : 0);
}

export class Progress {
  readonly #bar: SingleBar;
  readonly #started = Date.now();
  #bytes = 0;

  private constructor(bar: SingleBar, name: string, total: number) {
    this.#bar = bar;
    bar.start(total, 0, { name, done: '0.0', size: megabytes(total), speed: '-' });
  }

  /**
   * A bar for reading `total` bytes of `name`, when one should be shown: stderr a terminal,
   * not -q, and a size known and large. cli-progress is loaded only then.
   */
  static async maybe(
    name: string,
    total: number | undefined,
    noisy: boolean,
  ): Promise<Progress | undefined> {
    if (!noisy || process.stderr.isTTY !== true || total === undefined) return undefined;
    if (total < PROGRESS_MIN_BYTES) return undefined;
    const { SingleBar, Presets } = await import('cli-progress');
    const bar = new SingleBar(
      {
        format:
          '  {name} {bar} {percentage}% | {done}/{size} MB | {speed} MB/s | ETA {eta_formatted}',
        stream: process.stderr,
        fps: 4,
        barsize: 24,
        clearOnComplete: true,
        hideCursor: false, // a cursor left hidden by a killed process is worse than a visible one
        gracefulExit: false, // our own signal handler clears the bar and cleans up
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    return new Progress(bar, name, total);
  }

  /** `bytes` more of the input have been read. */
  advance(bytes: number): void {
    this.#bytes += bytes;
    const seconds = (Date.now() - this.#started) / 1000;
    this.#bar.update(this.#bytes, {
      done: megabytes(this.#bytes),
      speed: seconds > 0 ? (this.#bytes / MB / seconds).toFixed(1) : '-',
    });
  }

  /** Removes the bar from the terminal (idempotent). */
  clear(): void {
    this.#bar.stop();
  }
}
