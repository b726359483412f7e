#!/usr/bin/env node
/**
 * The `bz2-napi` executable (package.json `bin`): bzip2's command line on this package.
 * @internal
 * @packageDocumentation
 */
import { run } from './run';

run(process.argv.slice(2), process.env).then(
  (code) => {
    // Not process.exit(): output still queued for a pipe must get out first.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bz2-napi: PANIC -- internal consistency error:\n\t${String(error)}\n`);
    process.exitCode = 3;
  },
);
