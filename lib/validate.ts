/**
 * Argument validation shared by every entry point; runs before any native call.
 * @packageDocumentation
 */
import { invalidArgType, outOfRange } from './errors';

/**
 * What every function accepts as input: bytes in any binary form, or a string (encoded as UTF-8).
 * TypedArrays and DataViews are read as their bytes, respecting `byteOffset` and `byteLength`.
 */
export type BZ2Input = Buffer | ArrayBufferView | ArrayBuffer | string;

const INPUT_TYPES = 'of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer';

/**
 * The bytes of `value` as a Uint8Array view (no copy, except that a string is encoded).
 * @throws TypeError `ERR_INVALID_ARG_TYPE` naming `name` for any other value.
 */
export function toBytes(value: unknown, name: string): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw invalidArgType(name, INPUT_TYPES, value);
}

/**
 * The compression level: `undefined` means 9, otherwise an integer from 1 to 9.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for a non-number.
 * @throws RangeError `ERR_OUT_OF_RANGE` for anything else outside 1..9 (0, 10, 1.5, NaN, ±Infinity).
 */
export function checkLevel(value: unknown, name: string): number {
  if (value === undefined) return 9;
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value) || value < 1 || value > 9) {
    throw outOfRange(name, 'compresslevel must be between 1 and 9', value);
  }
  return value;
}
