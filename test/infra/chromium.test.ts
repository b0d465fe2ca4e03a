/**
 * How `npm test` gets the browser of the end-to-end tests: use it when it is there, install
 * Debian's chromium with apt-get when it is not, and stop early with a clear message when neither
 * works. Nothing is installed here: the machine is described by made-up facts, and the install
 * commands go to a recorder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../infra/paths.js';
import {
  APT_CHROMIUM_PATH,
  ChromiumUnavailableError,
  chromiumFacts,
  ensureChromium,
  planChromium,
  type ChromiumFacts,
} from '../../scripts/chromium.js';

/** A machine with these executables (absolute paths) and nothing else. */
function machine(executables: string[], opts: { isRoot?: boolean; configuredPath?: string } = {}) {
  const files = new Set(executables);
  const facts: ChromiumFacts = {
    isExecutable: (file) => files.has(file),
    which: (command) => executables.find((file) => path.basename(file) === command),
    isRoot: opts.isRoot ?? true,
    ...(opts.configuredPath === undefined ? {} : { configuredPath: opts.configuredPath }),
  };
  const commands: string[][] = [];
  const logs: string[] = [];
  return {
    facts,
    commands,
    logs,
    /** Records a command; apt-get install "creates" the browser. */
    run: (command: string[]): Promise<void> => {
      commands.push(command);
      if (command.includes('install')) files.add(APT_CHROMIUM_PATH);
      return Promise.resolve();
    },
    log: (msg: string): void => void logs.push(msg),
  };
}

const APT_UPDATE = ['env', 'DEBIAN_FRONTEND=noninteractive', '/usr/bin/apt-get', 'update'];
const APT_INSTALL = [
  'env',
  'DEBIAN_FRONTEND=noninteractive',
  '/usr/bin/apt-get',
  'install',
  '-y',
  '--no-install-recommends',
  'chromium',
];

void describe('ensureChromium', () => {
  void it('uses Debian chromium when it is there, and runs nothing', async () => {
    const m = machine([APT_CHROMIUM_PATH, '/usr/bin/apt-get']);
    assert.equal(await ensureChromium(m), APT_CHROMIUM_PATH);
    assert.deepEqual(m.commands, []);
    assert.deepEqual(m.logs, [`chromium: using ${APT_CHROMIUM_PATH}`]);
  });

  void it('uses the browser CHROMIUM_PATH names, even when Debian chromium is missing', async () => {
    const m = machine(['/opt/chrome/chrome'], { configuredPath: '/opt/chrome/chrome' });
    assert.equal(await ensureChromium(m), '/opt/chrome/chrome');
    assert.deepEqual(m.commands, []);
  });

  void it('refuses a CHROMIUM_PATH that is not there instead of installing something else', async () => {
    const m = machine(['/usr/bin/apt-get', APT_CHROMIUM_PATH], { configuredPath: '/nowhere/chromium' });
    await assert.rejects(ensureChromium(m), (err: Error) => {
      assert.ok(err instanceof ChromiumUnavailableError);
      assert.match(err.message, /CHROMIUM_PATH is \/nowhere\/chromium, which is not an executable file/);
      assert.match(err.message, /unset it/);
      return true;
    });
    assert.deepEqual(m.commands, []);
  });

  void it('fails early, saying why and what to do, when chromium is missing and there is no apt-get', async () => {
    const m = machine(['/usr/bin/sudo']);
    await assert.rejects(ensureChromium(m), (err: Error) => {
      assert.ok(err instanceof ChromiumUnavailableError);
      assert.match(err.message, /Chromium at \/usr\/bin\/chromium, which is missing/);
      assert.match(err.message, /no apt-get to install it/);
      assert.match(err.message, /set CHROMIUM_PATH=<path to its binary>/);
      return true;
    });
    assert.deepEqual(m.commands, []);
  });

  void it('as root, installs with apt-get update then apt-get install, non-interactively and without sudo', async () => {
    const m = machine(['/usr/bin/apt-get', '/usr/bin/sudo'], { isRoot: true });
    assert.equal(await ensureChromium(m), APT_CHROMIUM_PATH);
    assert.deepEqual(m.commands, [APT_UPDATE, APT_INSTALL]);
    assert.ok(m.logs.includes(`chromium: running ${APT_UPDATE.join(' ')}`), m.logs.join('\n'));
    assert.ok(m.logs.includes(`chromium: installed ${APT_CHROMIUM_PATH}`), m.logs.join('\n'));
  });

  void it('as another user, installs through sudo -n (never waiting for a password)', async () => {
    const m = machine(['/usr/bin/apt-get', '/usr/bin/sudo'], { isRoot: false });
    assert.equal(await ensureChromium(m), APT_CHROMIUM_PATH);
    assert.deepEqual(m.commands, [
      ['/usr/bin/sudo', '-n', ...APT_UPDATE],
      ['/usr/bin/sudo', '-n', ...APT_INSTALL],
    ]);
  });

  void it('as another user without sudo, says to run the install as root', async () => {
    const m = machine(['/usr/bin/apt-get'], { isRoot: false });
    await assert.rejects(ensureChromium(m), (err: Error) => {
      assert.ok(err instanceof ChromiumUnavailableError);
      assert.match(err.message, /not root and has no sudo/);
      assert.match(
        err.message,
        /As root, run: apt-get update && apt-get install -y --no-install-recommends chromium/,
      );
      return true;
    });
    assert.deepEqual(m.commands, []);
  });

  void it('reports a failed apt-get with the command to run by hand', async () => {
    const m = machine(['/usr/bin/apt-get', '/usr/bin/sudo'], { isRoot: false });
    const run = (command: string[]): Promise<void> =>
      Promise.reject(new Error(`${command.join(' ')} exited with code 1`));
    await assert.rejects(ensureChromium({ ...m, run }), (err: Error) => {
      assert.ok(err instanceof ChromiumUnavailableError);
      assert.match(err.message, /installing failed \(.*apt-get update exited with code 1\)/);
      assert.match(
        err.message,
        /sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium/,
      );
      return true;
    });
  });

  void it('does not claim success when the install left no browser behind', async () => {
    const m = machine(['/usr/bin/apt-get'], { isRoot: true });
    await assert.rejects(ensureChromium({ ...m, run: () => Promise.resolve() }), /still missing/);
  });

  void it('plans from the environment: CHROMIUM_PATH when set and not empty', () => {
    assert.equal(chromiumFacts({ CHROMIUM_PATH: '/x/chrome', PATH: '' }).configuredPath, '/x/chrome');
    assert.equal(chromiumFacts({ CHROMIUM_PATH: '', PATH: '' }).configuredPath, undefined);
    assert.equal(chromiumFacts({ PATH: '' }).which('apt-get'), undefined);
    assert.deepEqual(planChromium(machine([APT_CHROMIUM_PATH]).facts), {
      action: 'use',
      path: APT_CHROMIUM_PATH,
    });
  });
});

void describe('npm test and the browser', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-chromium-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const missing = path.join(dir, 'no-chromium');

  // Dummy server addresses: the runner then starts no servers (nothing here dials them).
  function runTests(files: string[]) {
    return spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'test.mjs'), ...files], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        CHROMIUM_PATH: missing,
        PT_TEST_TEMPORAL_ADDRESS: '127.0.0.1:1',
        PT_TEST_S3_ENDPOINT: 'http://127.0.0.1:1',
      },
    });
  }

  void it('stops before any test, with one clear line, when the browser tests cannot get a browser', () => {
    const res = runTests(['test/e2e/browser.test.ts']);
    assert.equal(res.status, 1, res.stderr);
    assert.ok(
      res.stderr.includes(`[test] chromium: CHROMIUM_PATH is ${missing}, which is not an executable file`),
      res.stderr,
    );
    assert.doesNotMatch(res.stderr, /^\s+at /m, 'no stack trace for an expected refusal');
    assert.doesNotMatch(res.stdout, /^# tests/m, 'no test ran');
  });

  void it('does not look for a browser when no selected test needs one', () => {
    const res = runTests(['test/infra/connection.test.ts']);
    assert.equal(res.status, 0, res.stderr);
    assert.doesNotMatch(res.stderr, /chromium/);
    assert.match(res.stdout, /^# fail 0$/m);
  });
});
