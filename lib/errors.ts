/**
 * Coded errors, in Node's style: every error this package throws has a string `code`.
 * @packageDocumentation
 */
import { inspect } from 'node:util';

/** The codes of API.md section 0 that this package throws. */
export type BZ2ErrorCode =
  | 'ERR_INVALID_ARG_TYPE'
  | 'ERR_OUT_OF_RANGE'
  | 'ERR_BZ2_FLUSHED'
  | 'ERR_BZ2_EOF'
  | 'ERR_BZ2_DATA'
  | 'ERR_BZ2_TRUNCATED'
  | 'ERR_BUFFER_TOO_LARGE'
  | 'ERR_BZ2_BUSY'
  | 'ERR_BZ2_MEMORY'
  | 'ERR_INVALID_STATE'
  | 'ERR_INVALID_THIS'
  | 'ABORT_ERR';

type ErrorClass = ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor;

function coded<E extends Error>(Base: ErrorClass, code: BZ2ErrorCode, message: string): E {
  const error = new Base(message) as E;
  // An own property, as Node does: assignment could meet a setter on Error.prototype.
  Object.defineProperty(error, 'code', {
    value: code,
    writable: true,
    configurable: true,
    enumerable: true,
  });
  return error;
}

/** How Node describes a received value in ERR_INVALID_ARG_TYPE messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    return name ? `an instance of ${name}` : 'an object';
  }
  let shown = inspect(value);
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return `type ${typeof value} (${shown})`;
}

/** `TypeError` `ERR_INVALID_ARG_TYPE`: argument `name` is not of the `expected` type. */
export function invalidArgType(name: string, expected: string, value: unknown): TypeError {
  return coded(
    TypeError,
    'ERR_INVALID_ARG_TYPE',
    `The "${name}" argument must be ${expected}. Received ${describe(value)}`,
  );
}

/** `RangeError` `ERR_OUT_OF_RANGE`: `range` says what is allowed, e.g. `name must be …`. */
export function outOfRange(name: string, range: string, value: unknown): RangeError {
  return coded(
    RangeError,
    'ERR_OUT_OF_RANGE',
    `The value of "${name}" is out of range. ${range}. Received ${String(value)}`,
  );
}

/** `Error` with one of this package's state or data codes. */
export function bz2Error(code: BZ2ErrorCode, message: string): Error {
  return coded(Error, code, message);
}

/** `Error` `ERR_BZ2_BUSY`: a synchronous call while asynchronous work on the object is pending. */
export function busyError(): Error {
  return coded(
    Error,
    'ERR_BZ2_BUSY',
    'Cannot call a synchronous method while asynchronous work on this object is pending',
  );
}

/** `Error` named `AbortError` with code `ABORT_ERR`, as Node's own; `cause` is the signal's reason. */
export function abortError(signal: AbortSignal): Error {
  const error = coded(Error, 'ABORT_ERR', 'The operation was aborted');
  Object.defineProperty(error, 'name', { value: 'AbortError', configurable: true, writable: true });
  Object.defineProperty(error, 'cause', {
    value: signal.reason,
    configurable: true,
    writable: true,
  });
  return error;
}

/** `RangeError` `ERR_BUFFER_TOO_LARGE`: output beyond `maxOutputLength`. */
export function tooLargeError(limit: number): RangeError {
  return coded(
    RangeError,
    'ERR_BUFFER_TOO_LARGE',
    `Cannot create a Buffer larger than maxOutputLength (${limit} bytes)`,
  );
}

/** `Error` `ERR_BZ2_TRUNCATED`: the input ended inside a stream (Python's message). */
export function truncatedError(): Error {
  return coded(
    Error,
    'ERR_BZ2_TRUNCATED',
    'Compressed data ended before the end-of-stream marker was reached',
  );
}

/**
 * `Error` `ERR_INVALID_STATE`: the input's buffer is detached (transferred), or was detached or
 * resized before an asynchronous call read it.
 */
export function detachedError(pending = true): Error {
  return coded(
    Error,
    'ERR_INVALID_STATE',
    pending
      ? 'The input was detached or resized before the asynchronous call settled'
      : 'The input is a view of a detached ArrayBuffer',
  );
}

/** `TypeError` `ERR_INVALID_THIS`: a method called on something that is not a `className`. */
export function invalidThisError(className: string): TypeError {
  return coded(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${className}`);
}

/** The `code` of an error, if it has a string one. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
