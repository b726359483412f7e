'use strict';
// The suite runs its files in parallel, one worker per core: most files spend much of their
// time waiting (on child processes, worker threads, the thread pool), so a second file fills the
// gaps. The heaviest files start first, so that none of them is left to run alone at the end.
// Its last line is still `N passed, N failed` (test/helpers/reporter.js), which .ci/run reads.
const { readdirSync } = require('node:fs');
const { availableParallelism, cpus } = require('node:os');
const { join } = require('node:path');

const cores = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
const first = ['parallel', 'golden', 'resources', 'workers', 'parallel-native', 'one-shot'].map(
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
