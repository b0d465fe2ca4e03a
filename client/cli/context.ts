/** What every command receives: its streams and a way to set the process exit code. */
import type { Command } from 'commander';
import type { GlobalOptions } from './connect.js';
import type { CliIo } from './io.js';

export interface CommandContext {
  io: CliIo;
  exitCode: number;
}

export function globalsOf(cmd: Command): GlobalOptions {
  const all = cmd.optsWithGlobals<Record<string, unknown>>();
  const pick = (k: string) => (typeof all[k] === 'string' ? (all[k] as string) : undefined);
  const globals: GlobalOptions = {};
  for (const key of ['address', 'namespace', 'taskQueue', 'profile', 'uiUrl'] as const) {
    const value = pick(key);
    if (value !== undefined) globals[key] = value;
  }
  return globals;
}

/** --ui-url, else TEMPORAL_UI_URL. */
export function uiUrlOf(globals: GlobalOptions, io: CliIo): string | undefined {
  return globals.uiUrl ?? io.env['TEMPORAL_UI_URL'] ?? undefined;
}
