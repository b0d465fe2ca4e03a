/**
 * Where tests find their servers. `npm test` (scripts/test.mjs) starts one Temporal dev server and one
 * moto S3 server for the whole run and passes their addresses in PT_TEST_* variables. A test file run
 * on its own (`node --import tsx --test test/integration/x.test.ts`) has no such variables: the first
 * call here starts a private server, and a root-level `after` hook stops it when the file is done.
 */
import { after } from 'node:test';
import { startDevServer, type DevServer } from '../../infra/dev-server.js';
import { startMoto, type MotoServer } from '../../infra/moto.js';
import { ensureTemporalCli } from '../../infra/temporal-cli.js';

let devServer: Promise<DevServer> | undefined;
let moto: Promise<MotoServer> | undefined;

// Registered at import time: an `after` registered later from inside a `before` hook would run too early.
after(async () => {
  const stops: Promise<void>[] = [];
  if (devServer) stops.push(devServer.then((s) => s.stop()).catch(() => undefined));
  if (moto) stops.push(moto.then((s) => s.stop()).catch(() => undefined));
  devServer = undefined;
  moto = undefined;
  await Promise.all(stops);
});

function privateDevServer(): Promise<DevServer> {
  devServer ??= startDevServer();
  return devServer;
}

/** `host:port` of a Temporal frontend with the project's search attributes registered. */
export async function testTemporalAddress(): Promise<string> {
  return process.env['PT_TEST_TEMPORAL_ADDRESS'] ?? (await privateDevServer()).address;
}

/** Namespace on that server (normally `default`). */
export async function testTemporalNamespace(): Promise<string> {
  if (process.env['PT_TEST_TEMPORAL_ADDRESS']) return process.env['PT_TEST_TEMPORAL_NAMESPACE'] ?? 'default';
  return (await privateDevServer()).namespace;
}

/** `http://127.0.0.1:<port>` of an S3-compatible server; use `forcePathStyle: true` and any credentials. */
export async function testS3Endpoint(): Promise<string> {
  const shared = process.env['PT_TEST_S3_ENDPOINT'];
  if (shared) return shared;
  moto ??= startMoto();
  return (await moto).endpoint;
}

/** Absolute path of a working `temporal` CLI (for tests that drive the CLI). */
export async function testTemporalCliPath(): Promise<string> {
  return ensureTemporalCli({ log: () => undefined });
}
