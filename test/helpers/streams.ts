/** Running bytes through a Transform, for the stream suites. */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Writes `source` through `transform` with `stream.pipeline` and returns all it emitted. */
export async function collect(
  source: Iterable<Buffer>,
  transform: NodeJS.ReadWriteStream,
): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(source),
    transform,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}
