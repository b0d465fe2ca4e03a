/**
 * `npm run emulator -- [--port 9001] [--host 127.0.0.1] [--functions file.json] [--time-scale 1]
 *  [--no-samples] [--concurrency 1000] [--update-delay-ms 500] [--seed 1] [--token T]
 *  [--allow-origin URL]... [--allow-host NAME]...`; the token may come from PT_EMULATOR_TOKEN.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const USAGE = `Usage: npm run emulator -- [options]
  --port <n>             port to listen on (default 9001, 0 = any free port)
  --host <addr>          address to bind (default 127.0.0.1)
  --functions <file>     functions file (JSON) to load besides the samples
  --no-samples           do not load the sample functions
  --time-scale <x>       answer delay = emulated duration × x (default 1, 0 = instant)
  --concurrency <n>      account concurrency limit (default 1000)
  --update-delay-ms <n>  how long an update stays InProgress (default 500)
  --pending-version-ms <n>  how long new versions stay Pending (default 0)
  --seed <n>             seed of every random draw (default 1)
  --token <t>            require this token on every request (default: PT_EMULATOR_TOKEN, else none);
                         SDK clients send it as AWS_ACCESS_KEY_ID, others as Authorization: Bearer <t>
  --allow-origin <url>   serve requests from this browser Origin (repeatable; default: none)
  --allow-host <name>    accept this Host name besides 127.0.0.1, localhost, [::1] (repeatable; * = any)`;

function numberOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a number >= 0, got: ${String(raw)}\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '9001' },
        host: { type: 'string', default: '127.0.0.1' },
        functions: { type: 'string' },
        'no-samples': { type: 'boolean', default: false },
        'time-scale': { type: 'string' },
        concurrency: { type: 'string' },
        'update-delay-ms': { type: 'string' },
        'pending-version-ms': { type: 'string' },
        seed: { type: 'string' },
        token: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'allow-host': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  // The environment is the better place for a secret: a command line is visible to every user.
  const token = values.token ?? (process.env['PT_EMULATOR_TOKEN']?.trim() || undefined);
  const emulator = await startEmulator({
    port: numberOption(values, 'port'),
    host: values.host,
    functionsFile: values.functions,
    loadSamples: !values['no-samples'],
    timeScale: numberOption(values, 'time-scale'),
    concurrencyLimit: numberOption(values, 'concurrency'),
    updateDelayMs: numberOption(values, 'update-delay-ms'),
    pendingVersionMs: numberOption(values, 'pending-version-ms'),
    seed: numberOption(values, 'seed'),
    token,
    allowedOrigins: values['allow-origin'],
    allowedHosts: values['allow-host'],
  });
  const state = await emulator.admin.state();
  console.log(`Lambda emulator listening on ${emulator.url}`);
  console.log(`Functions: ${state.functions.map((f) => f.name).join(', ') || '(none)'}`);
  console.log(`Point the AWS SDK at it with AWS_ENDPOINT_URL_LAMBDA=${emulator.url}`);
  console.log(
    token === undefined
      ? 'Auth: none (loopback only; browser origins and foreign Host names are refused)'
      : 'Auth: token required (AWS_ACCESS_KEY_ID=<token>, or Authorization: Bearer <token>)',
  );
  const shutdown = (signal: string): void => {
    console.log(`\n${signal}: stopping the emulator`);
    emulator.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
