/**
 * How much of the machine other processes took while we measured: all CPU time the kernel
 * counted (/proc/stat, steal included: on a VM that is the host taking our cores) less ours and
 * our children's (/proc/self/stat). Thread-scaling numbers mean little on a busy machine, so
 * the report prints this beside them. Linux only; elsewhere it reports nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface CpuSnapshot {
  /** CPU seconds all processes used since boot. */
  readonly busy: number;
  /** CPU seconds this process and its finished children used. */
  readonly own: number;
  /** performance.now() in seconds. */
  readonly wall: number;
}

let ticksPerSecond: number | undefined;

/** USER_HZ: the unit of the CPU times in /proc. */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const run = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const value = Number(run.stdout);
    // USER_HZ is 100 on every mainstream Linux build.
    ticksPerSecond = Number.isInteger(value) && value > 0 ? value : 100;
  }
  return ticksPerSecond;
}

/** Now, or undefined where /proc is not there. */
export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const hz = clockTicks();
    // "cpu user nice system idle iowait irq softirq steal guest guest_nice" (guest is in user).
    const total = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = (total ?? []).slice(1).map(Number);
    // The command name, field 2, is in parentheses and may hold spaces: split after it.
    const self = readFileSync('/proc/self/stat', 'utf8');
    const fields = self
      .slice(self.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // Fields 14 to 17 (utime stime cutime cstime) are 11 to 14 counting from field 3.
    const own = fields.slice(11, 15).reduce((sum, value) => sum + value, 0);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>(
      (sum, value) => sum + (value ?? 0),
      0,
    );
    if (!Number.isFinite(busy) || !Number.isFinite(own)) return undefined;
    return { busy: busy / hz, own: own / hz, wall: performance.now() / 1000 };
  } catch {
    return undefined;
  }
}

/** Average cores used by other processes between two snapshots, or undefined. */
export function othersCores(
  from: CpuSnapshot | undefined,
  to: CpuSnapshot | undefined,
): number | undefined {
  if (!from || !to || to.wall <= from.wall) return undefined;
  const others = to.busy - from.busy - (to.own - from.own);
  return Math.max(0, others / (to.wall - from.wall));
}
