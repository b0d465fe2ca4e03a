/** The command line of `npm run cluster` (scripts/cluster.ts) and the exports it prints; pure. */
import { parseArgs } from 'node:util';
import { shellWord } from '../client/cli/demo.js';
import type { Cluster } from '../infra/cluster/cluster.js';
import { MAX_WORKERS } from '../infra/cluster/workers.js';

export const USAGE = `usage: npm run cluster [-- --workers N] [--emulator]     start (default: 2 workers)
       npm run cluster -- stop                             stop the running cluster`;
export const EMULATOR_REGION = 'us-east-1';

export interface StartOptions {
  workers: number;
  emulator: boolean;
}

/** Reads the command line; throws a message naming the bad flag or value. */
export function parseClusterArgs(
  argv: string[],
): { command: 'start'; options: StartOptions } | { command: 'stop' } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { workers: { type: 'string' }, emulator: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (err) {
    // Node's message names the flag ("Unknown option '--wokers'"); the usage says what exists.
    throw new Error(`${(err as Error).message}\n${USAGE}`, { cause: err });
  }
  const { values, positionals } = parsed;
  if (values.help) throw new Error(USAGE);
  const [command, ...rest] = positionals;
  if (rest.length > 0 || (command !== undefined && command !== 'stop' && command !== 'start')) {
    throw new Error(`unexpected argument '${[command, ...rest].join(' ')}'\n${USAGE}`);
  }
  if (command === 'stop') {
    if (values.workers !== undefined || values.emulator) throw new Error(`stop takes no flags\n${USAGE}`);
    return { command: 'stop' };
  }
  const raw = values.workers ?? '2';
  const workers = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(workers >= 1 && workers <= MAX_WORKERS)) {
    throw new Error(`--workers: expected a whole number from 1 to ${MAX_WORKERS}; got '${raw}'`);
  }
  return { command: 'start', options: { workers, emulator: values.emulator ?? false } };
}

/** What another terminal pastes to use this cluster with every powertune command. */
export function clusterExports(cluster: Cluster, emulatorUrl?: string): string {
  const variables: [string, string][] = [
    ['TEMPORAL_ADDRESS', cluster.address],
    ['TEMPORAL_NAMESPACE', cluster.namespace],
    ['TEMPORAL_TASK_QUEUE', cluster.taskQueue],
    ...(cluster.uiUrl ? ([['TEMPORAL_UI_URL', cluster.uiUrl]] as [string, string][]) : []),
    ...(emulatorUrl
      ? ([
          ['AWS_ENDPOINT_URL_LAMBDA', emulatorUrl],
          ['AWS_REGION', EMULATOR_REGION],
        ] as [string, string][])
      : []),
  ];
  return [
    '',
    `# In another terminal, these make every powertune command use this cluster (its ${cluster.workers().length} workers poll the task queue):`,
    ...variables.map(([name, value]) => `export ${name}=${shellWord(value)}`),
    `# then, for example: npx powertune run ${emulatorUrl ? 'cpu-bound' : '<function>'} -n 10, npx powertune list`,
    '# stop it with Ctrl-C here, or from any terminal: npm run cluster -- stop',
  ].join('\n');
}
