/**
 * How much work one step on the thread pool may do, so that no step takes much longer than one
 * bzip2 block (0.1-0.4 s of CPU at level 9): the pool stays shared fairly and an abort is noticed
 * within about one block.
 * @internal
 * @packageDocumentation
 */

/** Uncompressed bytes per compress step: one block's worth at `level`. */
export function compressUnit(level: number): number {
  return 100000 * level;
}

/** Decompressed bytes per decompress step: at most one block is decoded beyond this. */
export const DECOMPRESS_OUTPUT_UNIT = 1 << 20;

/** Compressed bytes handed to a decompress step at a time. */
export const DECOMPRESS_INPUT_UNIT = 1 << 20;

/** An empty input, for steps that only drain output. */
export const EMPTY = new Uint8Array(0);

/** Whether `part` is a Buffer that owns all of its memory (no pool slice, no view). */
function ownsItsMemory(part: Uint8Array): part is Buffer {
  return (
    Buffer.isBuffer(part) && part.byteOffset === 0 && part.byteLength === part.buffer.byteLength
  );
}

/**
 * A new Buffer holding a copy of `bytes`, with memory of its own: `Buffer.from` and
 * `Buffer.concat` slice Node's shared 8 KB pool for small sizes, and API.md §0 says a result
 * never shares memory with anything.
 */
export function ownedCopy(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** Where to join `parts`: the one part itself when it already owns its memory, else a new Buffer. */
function joinTarget(parts: readonly Uint8Array[]): { joined: Buffer; filled: boolean } {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only && ownsItsMemory(only)) return { joined: only, filled: true };
  let total = 0;
  for (const part of parts) total += part.byteLength;
  return { joined: Buffer.allocUnsafeSlow(total), filled: false };
}

/** One Buffer with memory of its own from several; no copy when one part already is one. */
export function ownedConcat(parts: readonly Uint8Array[]): Buffer {
  const { joined, filled } = joinTarget(parts);
  if (filled) return joined;
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

/**
 * {@link ownedConcat}, built without blocking the event loop for long: parts are copied about a
 * MiB at a time between turns of the loop (copying into fresh memory costs page faults, about
 * 0.5 ms a MiB).
 */
export async function ownedConcatYielding(parts: readonly Uint8Array[]): Promise<Buffer> {
  const { joined, filled } = joinTarget(parts);
  if (filled) return joined;
  let offset = 0;
  let sinceYield = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
    sinceYield += part.byteLength;
    if (sinceYield >= 1 << 20) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return joined;
}
