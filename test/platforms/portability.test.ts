/**
 * The prebuilds run where they claim to: read off the binaries with binutils (readelf for ELF,
 * objdump for PE), after `npm run prebuild:all`. A glibc build may need no symbol version newer
 * than GLIBC_2.17 and nothing of libstdc++ or libgcc_s; a musl build links musl's libc alone; a
 * Windows build imports Node-API from node.exe and the rest from Windows' own DLLs; every ELF
 * build exports the two Node-API entry points and nothing else, and is stripped. The checks
 * are proven on this machine's GCC build, which they must refuse.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

interface Target {
  readonly id: string;
  readonly zig: string;
  readonly platform: 'linux' | 'win32';
  readonly arch: 'x64' | 'arm64';
  readonly libc: '' | 'glibc' | 'musl';
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build scripts are CommonJS
const { TARGETS, prebuildPath } = require('../../scripts/platforms/targets.js') as {
  TARGETS: readonly Target[];
  prebuildPath: (target: Target) => string;
};

const ENTRY_POINTS = ['napi_register_module_v1', 'node_api_module_get_api_version_v1'];
const GLIBC_FLOOR = [2, 17];
/** What a glibc 2.17 system has in every install; libstdc++ and libgcc_s are not among them. */
const GLIBC_LIBS = ['libc.so.6', 'libm.so.6', 'libpthread.so.0', 'libdl.so.2', 'librt.so.1'];
/** The DLLs of every Windows that Node 18+ runs on (and of wine). */
const WINDOWS_DLLS = ['kernel32.dll', 'msvcrt.dll', 'ntdll.dll', 'advapi32.dll', 'ws2_32.dll'];
const MACHINES = { x64: 'Advanced Micro Devices X86-64', arm64: 'AArch64' };

const run = (command: string, args: readonly string[]): string =>
  execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });

/** What one ELF binary needs and gives, as the dynamic loader sees it. */
function readElf(file: string): {
  machine: string;
  needed: string[];
  versions: string[];
  exported: string[];
  sections: string[];
} {
  const header = run('readelf', ['-h', '-W', file]);
  const machine = /Machine:\s+(.+)/.exec(header)?.[1]?.trim() ?? '';
  const needed = [...run('readelf', ['-d', '-W', file]).matchAll(/\(NEEDED\).*\[(.+)\]/g)].map(
    (m) => m[1] ?? '',
  );
  // The version needs (.gnu.version_r): GLIBC_2.14, GLIBCXX_3.4.30, CXXABI_1.3, GCC_3.0...
  const versions = [...run('readelf', ['-V', '-W', file]).matchAll(/Name: (\S+)\s+Flags/g)].map(
    (m) => m[1] ?? '',
  );
  const exported = run('readelf', ['--dyn-syms', '-W', file])
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    // Num: Value Size Type Bind Vis Ndx Name: defined (Ndx not UND) global or weak symbols.
    .filter((f) => f.length >= 8 && /^(GLOBAL|WEAK)$/.test(f[4] ?? '') && f[6] !== 'UND')
    .map((f) => (f[7] ?? '').replace(/@.*/, ''));
  const sections = [...run('readelf', ['-S', '-W', file]).matchAll(/\]\s+(\.\S+)/g)].map(
    (m) => m[1] ?? '',
  );
  return { machine, needed, versions, exported, sections };
}

const newerThanFloor = (version: string): boolean => {
  const [major = 0, minor = 0] = version.replace('GLIBC_', '').split('.').map(Number);
  return (
    major > (GLIBC_FLOOR[0] ?? 0) || (major === GLIBC_FLOOR[0] && minor > (GLIBC_FLOOR[1] ?? 0))
  );
};

/** Why the ELF `file` would not load on the target's oldest system; empty when it would. */
function elfProblems(file: string, target: Pick<Target, 'arch' | 'libc'>): string[] {
  const elf = readElf(file);
  const problems: string[] = [];
  if (elf.machine !== MACHINES[target.arch]) problems.push(`machine ${elf.machine}`);
  const cxx = elf.versions.filter((v) => /^(GLIBCXX|CXXABI|GCC)_/.test(v));
  if (cxx.length) problems.push(`needs the GCC runtime: ${cxx.join(' ')}`);
  const glibc = elf.versions.filter((v) => v.startsWith('GLIBC_'));
  if (target.libc === 'glibc') {
    const newer = glibc.filter(newerThanFloor);
    if (newer.length) problems.push(`needs glibc newer than 2.17: ${newer.join(' ')}`);
    const extra = elf.needed.filter((lib) => !GLIBC_LIBS.includes(lib));
    if (extra.length) problems.push(`links ${extra.join(' ')}`);
  } else {
    if (glibc.length) problems.push(`needs glibc: ${glibc.join(' ')}`);
    if (elf.needed.join(' ') !== 'libc.so')
      problems.push(`links ${elf.needed.join(' ')}, not musl's libc.so alone`);
  }
  const exported = [...new Set(elf.exported)].sort();
  if (exported.join(' ') !== ENTRY_POINTS.join(' ')) {
    problems.push(`exports ${exported.length} symbols: ${exported.slice(0, 8).join(' ')}`);
  }
  if (elf.sections.includes('.symtab')) problems.push('not stripped (.symtab)');
  return problems;
}

/** Why the PE `file` would not load on Windows x64 with any node.exe; empty when it would. */
function peProblems(file: string): string[] {
  const dump = run('objdump', ['-p', '-W', file]);
  const problems: string[] = [];
  if (!run('objdump', ['-f', file]).includes('file format pei-x86-64'))
    problems.push('not PE x86-64');
  // Import tables: "DLL Name: X" followed by its "hint name" lines.
  const imports = new Map<string, string[]>();
  let dll = '';
  for (const line of dump.split('\n')) {
    const name = /DLL Name: (\S+)/.exec(line)?.[1];
    if (name) {
      dll = name.toLowerCase();
      imports.set(dll, []);
    } else if (dll && /^\s+[0-9a-f]+\s+\d+\s+\S+$/.test(line)) {
      imports.get(dll)?.push(line.trim().split(/\s+/)[2] ?? '');
    } else if (/^\s*$/.test(line)) {
      dll = '';
    }
  }
  for (const [name, functions] of imports) {
    if (name === 'node.exe') {
      const odd = functions.filter((f) => !/^(napi|node_api)_/.test(f));
      if (odd.length) problems.push(`imports from node.exe what is not Node-API: ${odd.join(' ')}`);
    } else if (!WINDOWS_DLLS.includes(name)) {
      problems.push(`imports ${name}`);
    }
  }
  if (!imports.has('node.exe')) problems.push('imports nothing from node.exe');
  const exports = /\[Ordinal\/Name Pointer\] Table([\s\S]*?)\n\n/.exec(dump)?.[1] ?? '';
  for (const entry of ENTRY_POINTS)
    if (!exports.includes(entry)) problems.push(`does not export ${entry}`);
  return problems;
}

describe('prebuilds: portable to the oldest system of each target', () => {
  for (const target of TARGETS) {
    const file = prebuildPath(target);
    it(`${target.id} (${target.zig}): ${target.platform === 'win32' ? 'Node-API and Windows DLLs only' : `${target.libc}, ${target.libc === 'glibc' ? '≤ 2.17, ' : ''}no GCC runtime, two exports, stripped`}`, () => {
      assert.ok(existsSync(file), `${file} is missing: run npm run prebuild:all`);
      const problems = target.platform === 'win32' ? peProblems(file) : elfProblems(file, target);
      assert.deepEqual(problems, [], `${file}`);
    });
  }

  it("refuses this machine's GCC build (glibc 2.34+, libstdc++, every symbol exported)", function () {
    const gcc = join(__dirname, '..', '..', 'build', 'Release', 'bz2_napi.node');
    if (!existsSync(gcc) || process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    const problems = elfProblems(gcc, { arch: 'x64', libc: 'glibc' });
    assert.ok(
      problems.some((p) => p.startsWith('needs the GCC runtime')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('links libstdc++')),
      problems.join('\n'),
    );
    // The musl checks refuse a glibc binary.
    assert.ok(
      elfProblems(gcc, { arch: 'x64', libc: 'musl' }).some((p) => p.startsWith('needs glibc')),
    );
    // The Windows checks refuse an ELF file.
    assert.notDeepEqual(peProblems(prebuildPath(TARGETS[0]!)), []);
  });
});
