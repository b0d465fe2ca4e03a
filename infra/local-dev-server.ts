/**
 * `npm run temporal:dev` (via scripts/temporal-cli.ts dev): a local Temporal dev server for manual runs and the demo, on the usual
 * ports (gRPC 7233, Web UI 8233), with the tuning search attributes, persisted in .cache/temporal/dev.db.
 * Ports and file can be changed with PT_DEV_PORT, PT_DEV_UI_PORT, PT_DEV_DB. Stops on Ctrl-C.
 */
import { startDevServer } from './dev-server.js';
import { cacheDir } from './paths.js';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name}: expected a TCP port between 1 and 65535; got '${raw}'`);
  }
  return port;
}

/** Starts the server and keeps this process alive until Ctrl-C (the service hooks stop it). */
export async function runLocalDevServer(): Promise<void> {
  const server = await startDevServer({
    port: portFromEnv('PT_DEV_PORT', 7233),
    uiPort: portFromEnv('PT_DEV_UI_PORT', 8233),
    headless: false,
    dbFile: process.env['PT_DEV_DB'] || cacheDir('temporal', 'dev.db'),
  });
  process.stderr.write(
    `Temporal dev server: ${server.address} (namespace ${server.namespace}), Web UI ${server.uiUrl}\n` +
      `database ${server.dbFile}, log ${server.logFile}. Press Ctrl-C to stop.\n`,
  );
  setInterval(() => undefined, 1 << 30);
}
