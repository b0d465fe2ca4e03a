/**
 * `npm run temporal:install`: finds or installs the Temporal CLI and prints its absolute path on stdout
 * (progress goes to stderr), so scripts can do `TEMPORAL_CLI_PATH=$(npm run -s temporal:install)`.
 */
import { ensureTemporalCli } from '../infra/temporal-cli.js';

try {
  const cli = await ensureTemporalCli();
  process.stdout.write(`${cli}\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
