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

/**
 * One Buffer from several, built without blocking the event loop for long: parts are copied about
 * a MiB at a time between turns of the loop (copying into fresh memory costs page faults, about
 * 0.5 ms a MiB).
 */
export async function joinBuffersYielding(parts: readonly Buffer[]): Promise<Buffer> {
  if (parts.length === 1 && parts[0]) return parts[0];
  let total = 0;
  for (const part of parts) total += part.length;
  const joined = Buffer.allocUnsafeSlow(total);
  let offset = 0;
  let sinceYield = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
    sinceYield += part.length;
    if (sinceYield >= 1 << 20) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return joined;
}

/** One Buffer from several, without a copy when there is just one. */
export function joinBuffers(parts: readonly Buffer[]): Buffer {
  if (parts.length === 1 && parts[0]) return parts[0];
  return Buffer.concat(parts);
}
