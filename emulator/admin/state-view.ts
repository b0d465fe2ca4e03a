/** The inspection snapshot served at GET /_emulator/state. */
import type { Registry } from '../model/registry.js';
import type { VersionStats } from '../model/types.js';
import { configurationView } from '../model/views.js';

export interface VersionState {
  version: string;
  configuration: Record<string, unknown>;
  stats: VersionStats;
}

export interface FunctionState {
  name: string;
  arn: string;
  kind: 'handler' | 'synthetic';
  /** $LATEST first, then published versions in order. */
  versions: VersionState[];
  aliases: { name: string; functionVersion: string; description: string }[];
  /** Counters over all versions, deleted ones included. */
  totals: VersionStats;
}

export interface EmulatorState {
  region: string;
  accountId: string;
  timeScale: number;
  concurrencyLimit: number;
  inFlight: number;
  environments: number;
  functions: FunctionState[];
  totals: VersionStats;
}

export function stateView(
  registry: Registry,
  runtime: { timeScale: number; concurrencyLimit: number; inFlight: number; environments: number },
): EmulatorState {
  return {
    ...registry.scope,
    ...runtime,
    functions: registry.list().map((fn) => ({
      name: fn.name,
      arn: registry.arn(fn.name),
      kind: fn.latest.code.kind,
      versions: [fn.latest, ...fn.versions.values()].map((v) => ({
        version: v.version,
        configuration: configurationView(registry, fn, v, v.version),
        stats: { ...v.stats },
      })),
      aliases: [...fn.aliases.values()].map((a) => ({
        name: a.name,
        functionVersion: a.functionVersion,
        description: a.description,
      })),
      totals: { ...fn.totals },
    })),
    totals: { ...registry.totals },
  };
}
