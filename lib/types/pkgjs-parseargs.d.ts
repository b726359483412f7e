declare module '@pkgjs/parseargs' {
  /** The polyfill of `node:util`'s parseArgs (the same code), for Node releases before 18.3. */
  export const parseArgs: typeof import('node:util').parseArgs;
}
