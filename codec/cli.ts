/**
 * `npm run codec-server -- [--port 8888] [--host 127.0.0.1] [--origin URL]... [--allow-host NAME]...
 *  [--max-body-bytes N]`
 *
 * Serves /encode and /decode with the keys from PT_CODEC_KEY(+_ID) or PT_CODEC_KEY_FILE, for the
 * Temporal Web UI (`--ui-codec-endpoint`) and CLI (`--codec-endpoint`). PT_CODEC_AUTH_TOKEN, when
 * set, must be presented as `Authorization: Bearer <token>`; it is required off loopback.
 */
import { Command, InvalidArgumentError } from 'commander';
import { AesGcmPayloadCodec } from './aes-gcm-codec.js';
import { CodecKeyError, loadKeyringFromEnv } from './keys.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_UI_ORIGINS, startCodecServer } from './server.js';

function positiveInt(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max) {
      throw new InvalidArgumentError(`${name}: expected a whole number from 0 to ${max}, got '${value}'`);
    }
    return n;
  };
}

const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

const program = new Command('codec-server')
  .description('Encrypting payload codec over HTTP for the Temporal Web UI and CLI')
  .option('--port <port>', 'port to listen on (0 = any free port)', positiveInt('--port', 65535), 8888)
  .option(
    '--host <host>',
    'address to bind; keep loopback unless a proxy with TLS sits in front (off loopback PT_CODEC_AUTH_TOKEN is required)',
    '127.0.0.1',
  )
  .option(
    '--origin <url>',
    `browser origin allowed to call the server, repeatable or comma-separated; '*' = any (default: ${DEFAULT_UI_ORIGINS.join(', ')})`,
    collect,
  )
  .option(
    '--allow-host <name>',
    'Host header name accepted besides 127.0.0.1, localhost and [::1] (e.g. behind a proxy), repeatable or comma-separated',
    collect,
  )
  .option(
    '--max-body-bytes <n>',
    'largest request body accepted',
    positiveInt('--max-body-bytes', 1024 ** 3),
    DEFAULT_MAX_BODY_BYTES,
  )
  .showHelpAfterError();

program.parse(process.argv);
const opts = program.opts<{
  port: number;
  host: string;
  origin?: string[];
  allowHost?: string[];
  maxBodyBytes: number;
}>();

let keyring;
try {
  keyring = loadKeyringFromEnv();
} catch (err) {
  if (!(err instanceof CodecKeyError)) throw err;
  console.error(`codec-server: ${err.message}`);
  process.exit(2);
}
if (!keyring) {
  console.error(
    'codec-server: no key configured: set PT_CODEC_KEY and PT_CODEC_KEY_ID, or PT_CODEC_KEY_FILE (see codec/README.md)',
  );
  process.exit(2);
}

const authToken = process.env['PT_CODEC_AUTH_TOKEN']?.trim() || undefined;
const origins = opts.origin?.length ? opts.origin : DEFAULT_UI_ORIGINS;
let server;
try {
  server = await startCodecServer({
    codec: new AesGcmPayloadCodec(keyring),
    port: opts.port,
    host: opts.host,
    origins,
    authToken,
    maxBodyBytes: opts.maxBodyBytes,
    ...(opts.allowHost?.length ? { allowedHosts: opts.allowHost } : {}),
  });
} catch (err) {
  console.error(`codec-server: ${(err as Error).message}`);
  process.exit(2);
}
console.log(
  `codec server listening on ${server.url} (keys: ${[...keyring.keys.keys()].join(', ')}; ` +
    `encrypting with '${keyring.currentKeyId}'; origins: ${origins.join(', ')}; ` +
    `auth: ${authToken ? 'bearer token required' : 'none'})`,
);

const stop = () => {
  void server.close().finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
