'use strict';
// The suite runs its files in parallel, one worker per core. parallel.test.ts (a third of the
// suite's CPU, on every core) starts first, beside the files that mostly wait (on child
// processes, worker threads, timers), and the other heavy ones follow them: measured on 2 cores,
// 52 s against 57 s for heaviest-first and 84 s serial.
// Its last line is still `N passed, N failed` (test/helpers/reporter.js), which .ci/run reads.
const { readdirSync } = require('node:fs');
const { availableParallelism, cpus } = require('node:os');
const { join } = require('node:path');

const cores = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
const first = ['parallel', 'resources', 'workers', 'keep-alive', 'golden', 'parallel-native'].map(
  (name) => `test/${name}.test.ts`,
);
const rest = readdirSync(join(__dirname, 'test'))
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => `test/${name}`)
  .filter((file) => !first.includes(file));

module.exports = {
  spec: [...first, ...rest],
  require: ['tsx/cjs'],
  timeout: 120000,
  'node-option': ['expose-gc'],
  reporter: './test/helpers/reporter.js',
  parallel: cores > 1,
  jobs: Math.max(1, Math.min(cores, 4)),
};
