/** The parts of compressjs (pure JavaScript, no types of its own) that the benchmark uses. */
declare module 'compressjs' {
  interface Method {
    /** Compresses a whole input; the level is bzip2's block size in units of 100 kB. */
    compressFile(input: Uint8Array, output?: null, level?: number): Uint8Array | number[];
    decompressFile(input: Uint8Array): Uint8Array | number[];
  }
  /** bzip2, written from scratch in JavaScript: the same format, not libbzip2's exact bytes. */
  export const Bzip2: Method;
}
