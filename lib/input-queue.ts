/**
 * Compressed bytes given but not yet decoded, kept as views of the chunks they came in: each
 * native call reads a view of the head in place (or copies it, off the main thread), reports how
 * much it used, and the queue moves on by that much. Nothing is copied to move on, so a stream
 * end in the middle of a chunk costs nothing, however many streams a chunk holds.
 * @internal
 * @packageDocumentation
 */
import { detachedError } from './errors';
import { EMPTY, ownedConcat, ownedCopy } from './units';

interface Chunk {
  /** The chunk as given, or our own copy of what was left of it. */
  bytes: Uint8Array;
  /** The queued bytes are bytes[start, end); `end` is its length when queued (or copied). */
  start: number;
  end: number;
  /** A copy of our own, not a view of the caller's memory. */
  owned: boolean;
}

/** @internal */
export class InputQueue {
  #chunks: Chunk[] = [];
  #head = 0; // #chunks[0, #head) are used up
  #length = 0;

  /** Bytes queued. */
  get length(): number {
    return this.#length;
  }

  /** Queues a view of `chunk`; the caller leaves it unchanged until it is used or kept. */
  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push({ bytes: chunk, start: 0, end: chunk.byteLength, owned: false });
    this.#length += chunk.byteLength;
  }

  /**
   * The next bytes, at most `most` of them and all from one chunk, as a view; EMPTY when none
   * are queued.
   * @throws Error `ERR_INVALID_STATE` when the caller's buffer under the head was detached or
   * resized since it was queued.
   */
  peek(most: number): Uint8Array {
    const head = this.#chunks[this.#head];
    if (!head) return EMPTY;
    if (head.bytes.byteLength !== head.end) throw detachedError();
    return head.bytes.subarray(head.start, Math.min(head.end, head.start + most));
  }

  /**
   * Drops the first `count` bytes, which a native call has used (at most the last peek). Counted
   * from the lengths recorded when queued, so bytes a native call copied before their buffer
   * was detached still count as used.
   */
  advance(count: number): void {
    let left = count;
    while (left > 0) {
      const head = this.#chunks[this.#head];
      if (!head) break;
      const size = head.end - head.start;
      if (size > left) {
        head.start += left;
        this.#length -= left;
        return;
      }
      this.#head++;
      this.#length -= size;
      left -= size;
    }
    if (this.#head === this.#chunks.length) this.clear();
  }

  /** Drops everything. */
  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#length = 0;
  }

  /**
   * Replaces the views of the caller's memory with copies of our own, for bytes that outlive the
   * call that gave them (CPython copies them into its input buffer too). Each byte is copied at
   * most once. A view whose buffer was detached stays, so that the next peek reports it.
   */
  keep(): void {
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i];
      if (chunk && !chunk.owned && chunk.bytes.byteLength === chunk.end) {
        chunk.bytes = ownedCopy(chunk.bytes.subarray(chunk.start, chunk.end));
        chunk.start = 0;
        chunk.end = chunk.bytes.byteLength;
        chunk.owned = true;
      }
    }
  }

  /** The queued bytes as one new Buffer; the queue is left as it is. */
  copy(): Buffer {
    const parts: Uint8Array[] = [];
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i];
      if (chunk) parts.push(chunk.bytes.subarray(chunk.start, chunk.end));
    }
    return ownedConcat(parts);
  }
}
