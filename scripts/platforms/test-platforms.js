'use strict';
// `npm run test:platforms [-- --prebuilt] [-- --suites=native,qemu,wine]`: every prebuild,
// tested on a host of its platform here. In order, each part timed:
//   1. the five prebuilds (prebuild-all.js; --prebuilt: use those in prebuilds/ as they are);
//   2. the portability checks (test/platforms/portability.test.ts);
//   3. the package packed and installed into an empty app, as a user gets it, with no compiler
//      on PATH; then probe.js in that app on every target, compared (compare.js) with the host
//      Node's run, CPython's bytes and the contract: Node on linux-x64 (glibc), the arm64 Node
//      under qemu, the Windows Node under wine, Bun's musl builds for both musl prebuilds (with
//      LIBC=musl, what node-gyp-build reads on Alpine; bun.js), where the glibc build must be
//      refused too;
//   4. the whole mocha suite on the zig linux-x64 build natively, under qemu on linux-arm64 and
//      under wine on win32-x64 (--suites= names which; none with --suites=), each in a copy of
//      the checkout without build/ (so that node-gyp-build loads the prebuild).
// The last line is `N passed, N failed`, one per check; exits 1 if any failed.
const { execFileSync, spawnSync } = require('node:child_process');
const {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');
const { PROBE, compare, reference, report } = require('./compare');
const { root } = require('./fetch');
const { TARGETS, prebuildPath } = require('./targets');
const qemu = require('./qemu');
const wine = require('./wine');
const { stageTree } = require('./tree');
const bun = require('./bun');

const suitesArg = process.argv.find((arg) => arg.startsWith('--suites='));
const suites = suitesArg
  ? suitesArg.slice('--suites='.length).split(',').filter(Boolean)
  : ['native', 'qemu', 'wine'];
const prebuilt = process.argv.includes('--prebuilt');
const results = [];

async function part(name, fn) {
  const started = Date.now();
  let ok = false;
  let detail;
  try {
    detail = (await fn()) ?? '';
    ok = true;
  } catch (error) {
    detail = String(error && error.stack ? error.stack : error);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  results.push({ name, ok, seconds });
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds} s)${detail ? `\n     ${detail.replace(/\n/g, '\n     ')}` : ''}`,
  );
}

/** The packed tarball installed into a fresh app folder, as `npm install bz2-napi` would. */
function installedApp(work) {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // --ignore-scripts: prepack would rebuild the prebuilds just made (or checked).
  const file = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--silent', '--pack-destination', work],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n')
    .pop();
  const listed = execFileSync('tar', ['-tzf', join(work, file)], { encoding: 'utf8' });
  for (const target of TARGETS) {
    const want = `package/${prebuildPath(target, '').replace(/^\//, '')}`;
    if (!listed.split('\n').includes(want)) throw new Error(`the tarball lacks ${want}`);
  }
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n');
  // With node, npm and sh alone on PATH: no compiler, make or python to fall back on.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  for (const tool of ['node', 'npm', 'npx', 'sh']) {
    const path = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    symlinkSync(path, join(bin, tool));
  }
  execFileSync(
    join(bin, 'npm'),
    ['install', '--no-audit', '--no-fund', '--silent', join(work, file)],
    {
      cwd: app,
      stdio: 'inherit',
      env: { ...process.env, PATH: bin },
    },
  );
  if (existsSync(join(app, 'node_modules', 'bz2-napi', 'build'))) {
    throw new Error('the install compiled the addon instead of using a prebuild');
  }
  return app;
}

/** The checks' verdict: a summary, or an error listing the checks that failed. */
function verdict(checks) {
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) throw new Error(failed.map((c) => `${c.name}: ${c.detail}`).join('\n'));
  return `${checks.length} checks`;
}

/** probe.js on `target`'s host in `app`, compared with the reference (compare.js). */
function probe(target, app, ref) {
  if (target.host === 'bun') return verdict(bun.check(target.arch, app).checks);
  const run = { native: here, qemu: qemu.node, wine: wine.node }[target.host];
  if (!run) throw new Error(`no host for ${target.id}`);
  const file = target.host === 'wine' ? wine.windowsPath(PROBE) : PROBE;
  const got = report(run([file], { cwd: app }), `probe.js on ${target.id}`);
  const prebuild = relative(root, prebuildPath(target)).replace(/\\/g, '/');
  return `${got.runtime.platform}-${got.runtime.arch}: ${verdict(compare(got, ref, prebuild))} on ${prebuild}`;
}

const here = (args, options) =>
  spawnSync(process.execPath, args, { ...options, encoding: 'utf8', maxBuffer: 256 << 20 });

/** The whole mocha suite, in `tree`, by `node` (a function running that host's node). */
function nodeSuite(runNode, tree, env) {
  const ran = runNode([join(tree, 'node_modules', 'mocha', 'bin', 'mocha.js')], { cwd: tree, env });
  const totals = /(\d+) passed, (\d+) failed\s*$/.exec(ran.stdout || '');
  if (!totals)
    throw new Error(
      `no totals (status ${ran.status}):\n${(ran.stdout || '').slice(-3000)}\n${ran.stderr}`,
    );
  const summary = `${totals[1]} passed, ${totals[2]} failed`;
  if (totals[2] !== '0' || ran.status !== 0)
    throw new Error(`${summary}\n${(ran.stdout || '').slice(-6000)}`);
  return summary;
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'bz2-napi-platforms-'));
  try {
    if (!prebuilt) {
      await part('the five prebuilds (zig 0.11)', () => {
        execFileSync(process.execPath, [join(__dirname, 'prebuild-all.js')], { stdio: 'inherit' });
      });
    }
    await part('portability checks (test/platforms/portability.test.ts)', () => {
      execFileSync(
        process.execPath,
        [
          require.resolve('mocha/bin/mocha.js'),
          '--no-config',
          '-r',
          'tsx/cjs',
          '--reporter',
          'dot',
          'test/platforms/portability.test.ts',
        ],
        { cwd: root, stdio: 'inherit' },
      );
    });
    let app = '';
    await part('pack and install into an empty app', () => {
      app = installedApp(work);
    });
    // What every host's answers are held to; without an app (or it), each probe fails in its part.
    let ref;
    await part('the reference run on this Node', () => {
      if (!app) throw new Error('no installed app');
      ref = reference(app);
    });
    for (const target of TARGETS) {
      const what = target.host === 'bun' ? ', and the glibc build refused' : '';
      await part(`round trip and error paths: ${target.id} on ${target.host}${what}`, () => {
        if (!ref) throw new Error('no reference run');
        return probe(target, app, ref);
      });
    }
    const tree = join(work, 'tree');
    if (suites.length) stageTree(tree);
    // tsx's esbuild is a program of its own: the host's x64 one serves the arm64 Node.
    const esbuild = join(root, 'node_modules', '@esbuild', 'linux-x64', 'bin', 'esbuild');
    const runs = {
      native: [
        'the whole suite on the zig linux-x64-glibc build, natively',
        () => nodeSuite(here, tree),
      ],
      qemu: [
        'the whole suite on linux-arm64 (glibc) under qemu',
        () =>
          nodeSuite(qemu.node, tree, {
            ...process.env,
            ESBUILD_BINARY_PATH: esbuild,
            BZ2_NAPI_EMULATED: 'qemu-user',
          }),
      ],
      wine: [
        'the whole suite on win32-x64 under wine',
        async () => {
          const got = await wine.suite({ tree });
          const summary = `${got.passed} passed, ${got.failed} failed in ${got.seconds} s`;
          if (got.failed !== 0 || got.passed === 0) throw new Error(summary);
          return summary;
        },
      ],
    };
    for (const name of suites) {
      await part(
        ...(runs[name] ?? [
          `a suite on ${name}`,
          () => {
            throw new Error(`no suite host ${name}: native, qemu or wine`);
          },
        ]),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  // Outside any part (the work folder, staging the tree): still the last line CI reads.
  console.error(error);
  const failed = results.filter((r) => !r.ok).length + 1;
  console.log(`${results.length + 1 - failed} passed, ${failed} failed`);
  process.exit(1);
});
