/**
 * The data path of one file: its bytes (the first few looked at before anything is decided),
 * through the library's own compress or decompress stream, into the output, with the bytes
 * counted on both sides. Backpressure runs end to end, so memory stays bounded whatever the
 * size of the file.
 * @internal
 * @packageDocumentation
 */
import type { FileHandle } from 'node:fs/promises';
import { Writable, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** How many bytes of the input are read before deciding anything: bzip2's `BZh1`..`BZh9`. */
const HEAD_BYTES = 4;

/** Whether `head`, the start of an input, can begin a bzip2 stream (`BZh` and a level). */
export function startsLikeBzip2(head: Uint8Array): boolean {
  const magic = [0x42, 0x5a, 0x68];
  for (let i = 0; i < head.length && i < HEAD_BYTES; i++) {
    const byte = head[i] ?? 0;
    if (i < 3 ? byte !== magic[i] : byte < 0x31 || byte > 0x39) return false;
  }
  return true;
}

/** An input read as chunks, its first bytes known in advance; every byte read is counted. */
export class Input {
  readonly #chunks: AsyncIterator<Buffer>;
  readonly #pending: Buffer[];
  readonly #onBytes: (bytes: number) => void;
  /** The first bytes (up to 4; fewer only when the input is that short). */
  readonly head: Buffer;

  private constructor(
    chunks: AsyncIterator<Buffer>,
    pending: Buffer[],
    onBytes: (n: number) => void,
  ) {
    this.#chunks = chunks;
    this.#pending = pending;
    this.#onBytes = onBytes;
    this.head = Buffer.concat(pending).subarray(0, HEAD_BYTES);
  }

  /** Starts reading `stream`: resolves once its first bytes (or its end) have come. */
  static async open(stream: Readable, onBytes: (bytes: number) => void): Promise<Input> {
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const pending: Buffer[] = [];
    let bytes = 0;
    while (bytes < HEAD_BYTES) {
      const next = await chunks.next();
      if (next.done === true) break;
      pending.push(next.value);
      bytes += next.value.length;
      onBytes(next.value.length);
    }
    return new Input(chunks, pending, onBytes);
  }

  /** The input's chunks, from its first byte. */
  async *chunks(): AsyncGenerator<Buffer> {
    try {
      yield* this.#pending.splice(0);
      for (;;) {
        const next = await this.#chunks.next();
        if (next.done === true) return;
        this.#onBytes(next.value.length);
        yield next.value;
      }
    } finally {
      await this.close(); // on an error downstream too: the file is closed, stdin let go
    }
  }

  /** Stops reading (the underlying stream is destroyed). */
  async close(): Promise<void> {
    await this.#chunks.return?.();
  }
}

/** Where the output goes; it counts the bytes it is given. */
export class Output extends Writable {
  readonly #put: (chunk: Buffer) => Promise<void> | undefined;
  bytes = 0;

  private constructor(put: (chunk: Buffer) => Promise<void> | undefined) {
    super({ highWaterMark: 1 << 20 });
    this.#put = put;
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (e?: Error | null) => void,
  ): void {
    this.bytes += chunk.length;
    const written = this.#put(chunk);
    if (written === undefined) callback();
    else written.then(() => callback(), callback);
  }

  /** Into an open file, every byte written (a short write is continued). */
  static file(handle: FileHandle): Output {
    return new Output(async (chunk) => {
      for (let offset = 0; offset < chunk.length;) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
        offset += bytesWritten;
      }
    });
  }

  /** Onto stdout, which is never ended (several files' outputs follow each other there). */
  static stdout(): Output {
    return new Output(
      (chunk) =>
        new Promise<void>((resolve, reject) => {
          process.stdout.write(chunk, (error) => {
            if (error) reject(error);
            else resolve();
          });
        }),
    );
  }

  /** Nowhere: -t decodes only for the verdict. */
  static none(): Output {
    return new Output(() => undefined);
  }
}

/** Runs `input` through `transform` (none: a plain copy) into `output`. */
export async function pump(
  input: Input,
  transform: Transform | undefined,
  output: Output,
): Promise<void> {
  if (transform) await pipeline(input.chunks(), transform, output);
  else await pipeline(input.chunks(), output);
}
