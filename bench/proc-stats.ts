/** CPU time and memory of a process, read from Linux's /proc (the benchmark's machine is Linux). */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux. */
const CLOCK_TICKS = 100;

export interface ProcessSample {
  /** User + system CPU time so far, in ms. */
  cpuMs: number;
  /** Resident memory now, in MB. */
  rssMb: number;
  /** Peak resident memory since start (VmHWM), in MB. */
  peakRssMb: number;
}

export function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS,
    rssMb: statusKb(status, 'VmRSS') / 1024,
    peakRssMb: statusKb(status, 'VmHWM') / 1024,
  };
}

function statusKb(status: string, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`/proc status has no ${key} line`);
  return Number(match[1]);
}
