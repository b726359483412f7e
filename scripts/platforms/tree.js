'use strict';
// The checkout as a test host runs the whole suite on a prebuild (test-platforms.js, wine.js).
const { spawnSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } = require('node:fs');
const { join, relative, resolve, sep } = require('node:path');
const { root } = require('./fetch');

/**
 * A copy of the checkout in `dir` as a test host runs it: the files git knows (tracked, and
 * untracked but not ignored), dist/ and prebuilds/, with node_modules a link to this one's and
 * no build/, so that node-gyp-build loads the prebuild. The shared corpus (../shared beside the
 * checkout) is linked beside the copy, where the tests look for it. `dir` is emptied first.
 */
function stageTree(dir) {
  const away = relative(root, resolve(dir));
  if (!away.startsWith('..') || relative(resolve(dir), root).split(sep)[0] !== '..') {
    throw new Error(`stageTree: ${dir} is, holds or is inside the checkout`);
  }
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (git.status !== 0) throw new Error(`git ls-files failed: ${git.stderr}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of git.stdout.split('\0')) {
    // A tracked file deleted in the work tree is not part of it.
    if (file && existsSync(join(root, file))) {
      cpSync(join(root, file), join(dir, file), {
        preserveTimestamps: true,
        verbatimSymlinks: true,
      });
    }
  }
  for (const name of ['dist', 'prebuilds']) {
    if (!existsSync(join(root, name))) throw new Error(`${name}/ is missing: build it first`);
    cpSync(join(root, name), join(dir, name), { recursive: true, preserveTimestamps: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const shared = join(root, '..', 'shared');
  const besideCopy = join(dir, '..', 'shared');
  if (existsSync(shared) && resolve(shared) !== resolve(besideCopy)) {
    rmSync(besideCopy, { force: true }); // a link left by an earlier run (a folder stays)
    if (!existsSync(besideCopy)) symlinkSync(shared, besideCopy, 'dir');
  }
  return dir;
}

module.exports = { stageTree };
