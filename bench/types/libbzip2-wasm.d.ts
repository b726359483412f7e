/**
 * The parts of libbzip2-wasm (an Emscripten build of libbzip2 made for CyberChef, no types of
 * its own) that the benchmark uses, as read from its embind glue.
 */
declare module 'libbzip2-wasm' {
  namespace createModule {
    /** One call's result: an embind object that must be deleted; `output` views the wasm heap. */
    interface Result {
      /** A libbzip2 return code: 0 for success, negative for an error. */
      readonly error: number;
      readonly errorMsg?: string;
      readonly output: Uint8Array;
      delete(): void;
    }

    interface Module {
      /** `BZ2_bzBuffToBuffCompress` with a block size of 1 to 9 and a work factor (30 is bzip2's). */
      compressBZ2(data: Uint8Array, blockSize: number, workFactor: number): Result;
      /** `BZ2_bzBuffToBuffDecompress`; `small` 1 selects the slow low-memory decoder. */
      decompressBZ2(data: Uint8Array, small: number): Result;
      /** Emscripten's readiness hook; the module object is a thenable until it is deleted. */
      then?: (ready: (module: Module) => void) => Module;
    }
  }

  /** Instantiates the module (synchronously compiling the embedded wasm). */
  function createModule(): createModule.Module;
  export = createModule;
}
