'use strict';
// `npm test`'s pretest: brings build/Release up to date with src/ before the suite runs, so a
// changed source is never tested stale (node-gyp-build prefers build/Release over prebuilds/, so
// a binary that prebuildify left behind is never what the tests load either). make rebuilds
// only what changed: on an unchanged tree this costs about a second. node-gyp configure runs
// only when there is no Makefile yet or a .gyp file is newer than it.
const { execFileSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const { availableParallelism, cpus } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const gyp = require.resolve('node-gyp/bin/node-gyp.js');
const makefile = join(root, 'build', 'Makefile');
const mtime = (file) => statSync(join(root, file)).mtimeMs;

function nodeGyp(...args) {
  execFileSync(process.execPath, [gyp, ...args, '--loglevel=warn'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const stale =
  !existsSync(makefile) ||
  ['binding.gyp', 'deps/bzip2.gyp'].some((file) => mtime(file) > statSync(makefile).mtimeMs);
if (stale) nodeGyp('configure');
const jobs = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
nodeGyp('build', '-j', String(Math.max(1, jobs)));
