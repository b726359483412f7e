/**
 * Argument validation shared by every entry point; runs before any native call.
 * @packageDocumentation
 */
import { types } from 'node:util';
import { detachedError, invalidArgType, outOfRange } from './errors';

/**
 * What every function accepts as input: bytes in any binary form, or a string (encoded as UTF-8).
 * TypedArrays and DataViews are read as their bytes, respecting `byteOffset` and `byteLength`;
 * `ArrayBuffer` includes `SharedArrayBuffer` and buffers from other realms (`vm`, Jest), as
 * `node:zlib` accepts them.
 */
export type BZ2Input = Buffer | ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string;

const INPUT_TYPES = 'of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer';

/**
 * The bytes of `value` as a Uint8Array view (no copy, except that a string is encoded). Brand
 * checks, not `instanceof`, so that buffers from other realms count.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` naming `name` for any other value.
 * @throws Error `ERR_INVALID_STATE` for a detached buffer or a view of one.
 */
export function toBytes(value: unknown, name: string): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (ArrayBuffer.isView(value)) {
    // The buffer first: a DataView's own getters throw once its buffer is detached.
    const buffer = value.buffer;
    if (buffer.byteLength === 0 && isDetached(buffer)) throw detachedError(false);
    return new Uint8Array(buffer, value.byteOffset, value.byteLength);
  }
  if (types.isAnyArrayBuffer(value)) {
    if (value.byteLength === 0 && isDetached(value)) throw detachedError(false);
    return new Uint8Array(value);
  }
  throw invalidArgType(name, INPUT_TYPES, value);
}

/**
 * Whether `buffer` is detached. A view of a detached buffer cannot be constructed: the one check
 * that every Node version has (`ArrayBuffer.prototype.detached` needs V8 11.4).
 */
function isDetached(buffer: ArrayBufferLike): boolean {
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Bytes with the length they had when the caller handed them over: a buffer detached or resized
 * since then is an error, never silently shorter output. @internal
 */
export interface HeldInput {
  readonly bytes: Uint8Array;
  readonly length: number;
}

/** `bytes`, its length taken now. @internal */
export function hold(bytes: Uint8Array): HeldInput {
  return { bytes, length: bytes.byteLength };
}

/**
 * Throws `ERR_INVALID_STATE` if `input` no longer has the length it was held with: its buffer was
 * detached (transferred) or resized while asynchronous work still had to read it. Each native
 * step copies the part it reads, so this is about a clear error, not memory safety. @internal
 */
export function checkHeld(input: HeldInput): void {
  if (input.bytes.byteLength !== input.length) throw detachedError();
}

/**
 * An integer from `min` to `max`, or `fallback` when `value` is undefined.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for a non-number.
 * @throws RangeError `ERR_OUT_OF_RANGE` for NaN, ±Infinity, fractions and numbers out of range;
 * the message says `<name> must be between <min> and <max>`.
 */
export function checkInteger(
  value: unknown,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw outOfRange(name, `${name} must be between ${min} and ${max} (an integer)`, value);
  }
  return value;
}

/**
 * The compression level: `undefined` means 9, otherwise an integer from 1 to 9.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for a non-number.
 * @throws RangeError `ERR_OUT_OF_RANGE` for anything else outside 1..9 (0, 10, 1.5, NaN, ±Infinity).
 */
export function checkLevel(value: unknown, name: string): number {
  return checkInteger(value, name, 1, 9, 9);
}

/**
 * `value` as an options object: `undefined` gives `{}`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for anything but undefined or a non-null object.
 */
export function checkOptions(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArgType(name, 'of type object', value);
  }
  return value as Record<string, unknown>;
}

/**
 * An optional `AbortSignal`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for anything but undefined or an AbortSignal.
 */
export function checkSignal(value: unknown, name: string): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw invalidArgType(name, 'an instance of AbortSignal', value);
}
