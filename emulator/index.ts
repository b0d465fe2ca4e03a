/**
 * A local AWS Lambda: the Lambda REST API over HTTP, driven by the unmodified AWS SDK, plus an
 * admin API for tests and benchmarks. See emulator/README.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmulatorAdmin } from './admin-client.js';
import { EventLog } from './admin/event-log.js';
import { CodeLocations } from './code/code-location.js';
import { FaultInjector } from './admin/faults.js';
import { isLoopbackBind } from './guard/loopback.js';
import { guardPolicy } from './guard/request-guard.js';
import { HandlerExecutor } from './invoke/handler-executor.js';
import { hashSeed, mulberry32 } from './invoke/prng.js';
import { SyntheticExecutor } from './invoke/synthetic-executor.js';
import { loadDefinitions } from './model/definitions.js';
import { Registry } from './model/registry.js';
import type { FunctionDefinition } from './model/types.js';
import { EnvironmentPool } from './runtime/environment-pool.js';
import { createEmulatorServer } from './server.js';

export { EmulatorAdmin } from './admin-client.js';
export type { EmulatorState, FunctionState, VersionState } from './admin/state-view.js';
export type { ControlPlaneEvent } from './admin/event-log.js';
export type { FaultSpec } from './admin/faults.js';
export type { SyntheticProfile } from './model/types.js';
export {
  vcpusFor,
  syntheticDuration,
  roundDuration,
  billedMs,
  billedFor,
  MB_PER_VCPU,
} from './invoke/cpu-model.js';
export { mulberry32, versionSeed } from './invoke/prng.js';

export interface EmulatorOptions {
  /** 0 = any free port (default 9001 only in the CLI). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Answer delay = emulated duration × timeScale; 1 = real time, 0 = instant. Default 1. */
  timeScale?: number;
  /** A functions file (JSON) loaded after the samples; its functions replace samples of the same name. */
  functionsFile?: string;
  /** Load the sample functions from emulator/functions. Default true. */
  loadSamples?: boolean;
  /** Account-level limit of in-flight invocations. Default 1000. */
  concurrencyLimit?: number;
  /** Real ms that LastUpdateStatus stays InProgress after an update (and State Pending after a create). Default 500. */
  updateDelayMs?: number;
  /** Real ms that new versions stay Pending, for functions that do not set their own. Default 0. */
  pendingVersionMs?: number;
  /** Seed of every random draw (synthetic noise and errors, faults). Default 1. */
  seed?: number;
  /** Default us-east-1. */
  region?: string;
  /** Default 123456789012. */
  accountId?: string;
  /** Include Init Duration in Billed Duration on cold starts, as AWS does since August 2025. Default true. */
  billInit?: boolean;
  /** Execution environments (child processes) per version, and in all. Default 4 and 16. */
  maxEnvironmentsPerVersion?: number;
  maxEnvironments?: number;
  /**
   * When set, every request must present it: as the SigV4 access key id (`AWS_ACCESS_KEY_ID`) or
   * as `Authorization: Bearer <token>`. Required to bind a non-loopback address.
   */
  token?: string;
  /** Browser origins whose requests are served; every other `Origin` is refused. Default none. */
  allowedOrigins?: string[];
  /** Host header names accepted besides 127.0.0.1, localhost and [::1] (DNS rebinding guard); `*` = any. */
  allowedHosts?: string[];
  /** How long GetFunction's code link (Code.Location) stays valid, in seconds. Default 600, as on AWS. */
  codeLocationTtlSeconds?: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  admin: EmulatorAdmin;
  stop(): Promise<void>;
}

const SAMPLES_DIR = fileURLToPath(new URL('./functions/', import.meta.url));
export const SAMPLE_FILES = [join(SAMPLES_DIR, 'samples.json'), join(SAMPLES_DIR, 'synthetic.json')];

function collectDefinitions(opts: EmulatorOptions): FunctionDefinition[] {
  const byName = new Map<string, FunctionDefinition>();
  const files = [
    ...(opts.loadSamples === false ? [] : SAMPLE_FILES),
    ...(opts.functionsFile ? [opts.functionsFile] : []),
  ];
  for (const file of files) for (const d of loadDefinitions(file)) byName.set(d.name, d);
  return [...byName.values()];
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const definitions = collectDefinitions(opts);
  const region = opts.region ?? 'us-east-1';
  const accountId = opts.accountId ?? '123456789012';
  if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId must be 12 digits, got: ${accountId}`);
  const host = opts.host ?? '127.0.0.1';
  // It runs whatever code it is sent: reachable from other machines only behind a token.
  if (!isLoopbackBind(host) && opts.token === undefined) {
    throw new Error(
      `refusing to listen on ${host} without a token: set a token (--token / PT_EMULATOR_TOKEN) or bind 127.0.0.1`,
    );
  }
  const guard = guardPolicy({
    token: opts.token,
    allowedOrigins: opts.allowedOrigins,
    allowedHosts: opts.allowedHosts,
    bindHost: host,
  });
  let timeScale = opts.timeScale ?? 1;
  if (!(timeScale >= 0)) throw new Error(`timeScale must be a number >= 0, got: ${timeScale}`);
  const concurrencyLimit = opts.concurrencyLimit ?? 1000;
  const codeLocations = new CodeLocations(opts.codeLocationTtlSeconds);
  const seed = opts.seed ?? 1;

  const registry = new Registry({
    region,
    accountId,
    updateDelayMs: opts.updateDelayMs ?? 500,
    pendingVersionMs: opts.pendingVersionMs ?? 0,
  });
  for (const d of definitions) {
    const settings = { ...d.settings, role: `arn:aws:iam::${accountId}:role/lambda-emulator` };
    registry.create(d.name, d.code, settings, { active: true, pendingVersionMs: d.pendingVersionMs });
  }

  const pool = new EnvironmentPool({
    perVersion: opts.maxEnvironmentsPerVersion ?? 4,
    total: opts.maxEnvironments ?? 16,
  });
  const synthetic = new SyntheticExecutor(seed);
  registry.onRecycle((name, version) => {
    const prefix = version === undefined ? `${name}\u0000` : `${name}\u0000${version}\u0000`;
    pool.recycle(prefix);
    synthetic.recycle(prefix);
  });

  const codeDir = mkdtempSync(join(tmpdir(), 'lambda-emulator-'));
  const abort = new AbortController();
  const events = new EventLog();
  const faults = new FaultInjector(seed);
  const inFlight = { count: 0 };
  const server = createEmulatorServer({
    controlPlane: { registry, codeDir, codeLocations },
    invoke: {
      registry,
      synthetic,
      handlers: new HandlerExecutor(pool),
      timeScale: () => timeScale,
      concurrencyLimit,
      inFlight,
      billInit: opts.billInit ?? true,
      routingRandom: mulberry32(hashSeed(`routing:${seed}`)),
      signal: abort.signal,
    },
    admin: {
      registry,
      events,
      faults,
      runtime: () => ({ timeScale, concurrencyLimit, inFlight: inFlight.count, environments: pool.size }),
      setTimeScale: (value) => {
        timeScale = value;
      },
    },
    events,
    faults,
    guard,
    signal: abort.signal,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      abort.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, pool.close()]);
      rmSync(codeDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  return { url, port, admin: new EmulatorAdmin(url, opts.token), stop };
}
