/**
 * `npm run temporal:install`: finds or installs the Temporal CLI and prints its absolute path on stdout
 * (progress goes to stderr), so scripts can do `TEMPORAL_CLI_PATH=$(npm run -s temporal:install)`.
 * `npm run temporal:dev` (argument `dev`): runs a local dev server with the Web UI until Ctrl-C.
 */
import { runLocalDevServer } from '../infra/local-dev-server.js';
import { ensureTemporalCli } from '../infra/temporal-cli.js';

const command = process.argv[2] ?? 'install';
try {
  if (command === 'install') {
    process.stdout.write(`${await ensureTemporalCli()}\n`);
  } else if (command === 'dev') {
    await runLocalDevServer();
  } else {
    throw new Error(`unknown command '${command}'; expected 'install' (default) or 'dev'`);
  }
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
