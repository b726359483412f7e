/**
 * libbzip2-wasm behind a plain synchronous interface: libbzip2 1.0.x compiled to WebAssembly,
 * called through embind as CyberChef does.
 */
import createModule from 'libbzip2-wasm';

/** libbzip2's error codes, for messages a reader can look up. */
const BZ_ERRORS: Readonly<Record<number, string>> = {
  [-1]: 'BZ_SEQUENCE_ERROR',
  [-2]: 'BZ_PARAM_ERROR',
  [-3]: 'BZ_MEM_ERROR',
  [-4]: 'BZ_DATA_ERROR',
  [-5]: 'BZ_DATA_ERROR_MAGIC',
  [-6]: 'BZ_IO_ERROR',
  [-7]: 'BZ_UNEXPECTED_EOF',
  [-8]: 'BZ_OUTBUFF_FULL',
  [-9]: 'BZ_CONFIG_ERROR',
};

/** bzip2's default work factor, so the output can match `bzip2 -9`. */
const WORK_FACTOR = 30;

export interface WasmBzip2 {
  compress(data: Buffer, level: number): Buffer;
  decompress(packed: Buffer): Buffer;
}

/** Copies a call's output out of the wasm heap (the next call may reuse it), then frees it. */
function take(result: createModule.Result, what: string): Buffer {
  try {
    if (result.error !== 0) {
      const name = BZ_ERRORS[result.error] ?? 'unknown error';
      // Found by bisection: decompressBZ2 gives up on any output over 10,000,000 bytes.
      const hint =
        what === 'decompress' && result.error === -8
          ? '; its decompressBZ2 output buffer holds 10,000,000 bytes at most'
          : '';
      throw new Error(`libbzip2-wasm ${what} returned ${result.error} (${name})${hint}`);
    }
    return Buffer.from(result.output);
  } finally {
    result.delete();
  }
}

/** The module's functions, once it is ready and no longer a thenable. */
type Ready = Pick<createModule.Module, 'compressBZ2' | 'decompressBZ2'>;

/** Instantiates the wasm module once it is ready. */
export async function loadWasmBzip2(): Promise<WasmBzip2> {
  // Emscripten's Node glue adds process handlers that turn any later unhandled rejection into a
  // wasm abort and rethrow uncaught exceptions; the benchmark keeps Node's own behaviour.
  const uncaught = new Set(process.listeners('uncaughtException'));
  const unhandled = new Set(process.listeners('unhandledRejection'));
  const module = await new Promise<Ready>((resolve) => {
    const pending = createModule();
    // The module is a thenable whose then() hands back the module itself, so awaiting it would
    // never settle: take it from the callback and drop then() before resolving with it.
    const ready = (done: createModule.Module): void => {
      delete done.then;
      resolve(done);
    };
    if (pending.then) pending.then(ready);
    else ready(pending);
  });
  for (const listener of process.listeners('uncaughtException')) {
    if (!uncaught.has(listener)) process.removeListener('uncaughtException', listener);
  }
  for (const listener of process.listeners('unhandledRejection')) {
    if (!unhandled.has(listener)) process.removeListener('unhandledRejection', listener);
  }
  return {
    compress: (data, level) => take(module.compressBZ2(data, level, WORK_FACTOR), 'compress'),
    decompress: (packed) => take(module.decompressBZ2(packed, 0), 'decompress'),
  };
}
