/**
 * Connecting the CLI to Temporal. Settings come from the standard Temporal environment
 * variables and config profiles (connection/temporal-settings.ts, the same as the worker's); the
 * global flags --address, --namespace, --task-queue and --profile override them. The Temporal
 * client and the settings loader are imported when a command connects, not when the CLI starts:
 * they take longer to load than `--help`, `compare` or `report` from files take to run.
 */
import type { Client, Connection } from '@temporalio/client';
import type { TemporalSettings } from '../../connection/temporal-settings.js';
import { CliError, UsageError } from './exit.js';
import type { CliIo } from './io.js';

export interface GlobalOptions {
  address?: string;
  namespace?: string;
  taskQueue?: string;
  profile?: string;
  uiUrl?: string;
}

export interface Connected {
  client: Client;
  settings: TemporalSettings;
  close(): Promise<void>;
}

/** The environment with the global flags applied on top, as the settings loader reads it. */
export function effectiveEnv(globals: GlobalOptions, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  if (globals.address) out['TEMPORAL_ADDRESS'] = globals.address;
  if (globals.namespace) out['TEMPORAL_NAMESPACE'] = globals.namespace;
  if (globals.taskQueue) out['TEMPORAL_TASK_QUEUE'] = globals.taskQueue;
  if (globals.profile) out['TEMPORAL_PROFILE'] = globals.profile;
  return out;
}

export async function settingsFor(globals: GlobalOptions, io: CliIo): Promise<TemporalSettings> {
  const { loadTemporalSettings } = await import('../../connection/temporal-settings.js');
  try {
    return loadTemporalSettings(effectiveEnv(globals, io.env));
  } catch (err) {
    throw new UsageError(`connection settings: ${(err as Error).message}`);
  }
}

export async function connect(globals: GlobalOptions, io: CliIo): Promise<Connected> {
  const settings = await settingsFor(globals, io);
  const { Client, Connection } = await import('@temporalio/client');
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...settings.connectionOptions, connectTimeout: 10_000 });
  } catch (err) {
    throw new CliError(
      `cannot connect to Temporal at ${settings.address} (namespace "${settings.namespace}"): ${(err as Error).message}. ` +
        'Set TEMPORAL_ADDRESS (or --address), or start a local server with `temporal server start-dev`.',
      1,
    );
  }
  const client = new Client({
    connection,
    namespace: settings.namespace,
    dataConverter: settings.dataConverter,
  });
  return { client, settings, close: () => connection.close() };
}

/** Runs `fn` with a connected client and always closes the connection. */
export async function withClient<T>(
  globals: GlobalOptions,
  io: CliIo,
  fn: (c: Connected) => Promise<T>,
): Promise<T> {
  const connected = await connect(globals, io);
  try {
    return await fn(connected);
  } finally {
    await connected.close().catch(() => undefined);
  }
}

/**
 * The Web UI page of a run, when the UI's address is known: --ui-url / TEMPORAL_UI_URL,
 * Temporal Cloud, or the default local dev server (localhost:7233 → http://localhost:8233).
 */
export function webUiRunUrl(
  settings: Pick<TemporalSettings, 'address' | 'namespace'>,
  workflowId: string,
  runId: string | undefined,
  uiUrl?: string,
): string | undefined {
  let base = uiUrl?.replace(/\/+$/, '');
  if (!base) {
    if (/\.tmprl\.cloud(:\d+)?$/.test(settings.address)) base = 'https://cloud.temporal.io';
    else if (/^(localhost|127\.0\.0\.1):7233$/.test(settings.address)) base = 'http://localhost:8233';
  }
  if (!base) return undefined;
  const path = `/namespaces/${encodeURIComponent(settings.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return `${base}${path}${runId ? `/${encodeURIComponent(runId)}/history` : ''}`;
}
