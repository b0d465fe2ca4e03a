/**
 * Connection settings shared by the worker and every client (so they live with neither), read the
 * standard Temporal way: an optional config profile (TOML, `TEMPORAL_CONFIG_FILE` /
 * `TEMPORAL_PROFILE`) overridden by the `TEMPORAL_*` environment variables (address, namespace,
 * API key, TLS/mTLS, gRPC metadata).
 */
import fs from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { dataConverterFromEnv } from '../codec/data-converter.js';
import { DEFAULT_TASK_QUEUE } from '../domain/search-attributes.js';

export const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';
export const DEFAULT_NAMESPACE = 'default';

export interface TemporalSettings {
  /** `host:port` actually used (for log lines). */
  address: string;
  /** For `Connection.connect` in clients. */
  connectionOptions: ConnectionOptions;
  /** For `NativeConnection.connect` in the worker. */
  nativeConnectionOptions: NativeConnectionOptions;
  namespace: string;
  taskQueue: string;
  /** Payload and failure encryption (PT_CODEC_KEY / PT_CODEC_KEY_FILE), for every client and the worker alike. */
  dataConverter?: DataConverter;
}

/** Env variables that name files; checked up front so a typo is reported with the variable's name. */
const FILE_VARIABLES = [
  'TEMPORAL_CONFIG_FILE',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
] as const;

function definedEntries(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function checkEnv(env: NodeJS.ProcessEnv): void {
  for (const name of FILE_VARIABLES) {
    const file = nonEmpty(env, name);
    if (file !== undefined && !fs.existsSync(file)) {
      throw new Error(`${name}: file '${file}' does not exist (expected a readable path)`);
    }
  }
  const hasCert =
    nonEmpty(env, 'TEMPORAL_TLS_CLIENT_CERT_PATH') ?? nonEmpty(env, 'TEMPORAL_TLS_CLIENT_CERT_DATA');
  const hasKey =
    nonEmpty(env, 'TEMPORAL_TLS_CLIENT_KEY_PATH') ?? nonEmpty(env, 'TEMPORAL_TLS_CLIENT_KEY_DATA');
  if ((hasCert === undefined) !== (hasKey === undefined)) {
    throw new Error(
      'mTLS needs both a client certificate and its key: set TEMPORAL_TLS_CLIENT_CERT_PATH (or _DATA) ' +
        'together with TEMPORAL_TLS_CLIENT_KEY_PATH (or _DATA)',
    );
  }
  const tls = env['TEMPORAL_TLS'];
  if (tls !== undefined && !['true', 'false', '1', '0'].includes(tls)) {
    throw new Error(`TEMPORAL_TLS: expected true, false, 1 or 0; got '${tls}'`);
  }
}

/** Reads connection settings from `env` (default `process.env`) and the selected config profile. */
export function loadTemporalSettings(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  checkEnv(env);
  const profile = loadClientConnectConfig({ overrideEnvVars: definedEntries(env) });
  const fromProfile = profile.connectionOptions;
  const address = fromProfile.address?.trim() || DEFAULT_TEMPORAL_ADDRESS;
  const namespace = profile.namespace?.trim() || DEFAULT_NAMESPACE;
  const taskQueue = nonEmpty(env, 'TEMPORAL_TASK_QUEUE') ?? DEFAULT_TASK_QUEUE;

  const shared = {
    address,
    ...(fromProfile.apiKey !== undefined ? { apiKey: fromProfile.apiKey } : {}),
    ...(fromProfile.tls !== undefined ? { tls: fromProfile.tls } : {}),
    ...(fromProfile.metadata !== undefined ? { metadata: fromProfile.metadata } : {}),
  };
  return {
    address,
    connectionOptions: { ...shared },
    nativeConnectionOptions: { ...shared },
    namespace,
    taskQueue,
    dataConverter: dataConverterFromEnv(env),
  };
}
