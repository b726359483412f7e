declare module 'node-gyp-build' {
  /** Loads the addon of the package in `dir`: build/Release first, else a matching prebuild. */
  function load(dir: string): unknown;
  namespace load {
    /** The path of the addon `load(dir)` would load. */
    function resolve(dir?: string): string;
  }
  export = load;
}
