/** Names the machine and every tool's version, so a reader knows what the numbers describe. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { bzlibVersion } from '../lib/index';

export interface Machine {
  /** CPU model as the kernel reports it. */
  readonly cpu: string;
  /** os.availableParallelism(): the cores this process may use. */
  readonly cores: number;
  readonly memoryGiB: number;
  readonly system: string;
  readonly node: string;
  /** One line per tool: its name and version. */
  readonly tools: readonly string[];
}

/** The version in an installed package's package.json. */
export function packageVersion(name: string): string {
  const manifest = require.resolve(`${name}/package.json`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The machine this process runs on, with the tool versions found by the caller. */
export function describeMachine(tools: readonly string[]): Machine {
  const own = JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8')) as {
    version: string;
  };
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    system: `${type()} ${release()} ${process.arch}`,
    node: process.version,
    tools: [`bz2-napi ${own.version} (libbzip2 ${bzlibVersion})`, ...tools],
  };
}

/** A one-line name for titles: CPU, cores, Node. */
export function machineLine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`;
}
