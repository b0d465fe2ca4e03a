/**
 * `npm run cluster`'s command line (scripts/cluster-cli.ts): defaults, and bad input refused with a
 * message naming the flag or argument; and the plan for getting PostgreSQL's binaries
 * (infra/cluster/postgres-binaries.ts), decided from made-up machine facts, nothing installed.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MAX_WORKERS } from '../../infra/cluster/workers.js';
import {
  DEBIAN_PACKAGE,
  debianBinDir,
  planPostgres,
  POSTGRES_BIN_DIR_VARIABLE,
  type PostgresFacts,
} from '../../infra/cluster/postgres-binaries.js';
import { parseClusterArgs } from '../../scripts/cluster-cli.js';

describe('npm run cluster: command line', () => {
  it('starts two workers by default; --workers and --emulator change that; stop stops', () => {
    assert.deepEqual(parseClusterArgs([]), { command: 'start', options: { workers: 2, emulator: false } });
    assert.deepEqual(parseClusterArgs(['--workers', '3', '--emulator']), {
      command: 'start',
      options: { workers: 3, emulator: true },
    });
    assert.deepEqual(parseClusterArgs(['stop']), { command: 'stop' });
  });

  it('refuses bad input, naming the flag or argument', () => {
    for (const bad of ['0', String(MAX_WORKERS + 1), '1.5', 'two', '-1']) {
      assert.throws(
        () => parseClusterArgs([`--workers=${bad}`]),
        new RegExp(`--workers: expected a whole number from 1 to ${MAX_WORKERS}; got '${bad}'`),
      );
    }
    assert.throws(() => parseClusterArgs(['--wokers', '2']), /Unknown option '--wokers'/);
    assert.throws(() => parseClusterArgs(['restart']), /unexpected argument 'restart'/);
    assert.throws(() => parseClusterArgs(['stop', '--workers', '2']), /stop takes no flags/);
  });
});

/** A machine with these executables (absolute paths) and nothing else. */
function machine(
  executables: string[],
  opts: { isRoot?: boolean; configuredDir?: string } = {},
): PostgresFacts {
  return {
    isExecutable: (file) => executables.includes(file),
    which: (command) => executables.find((file) => path.basename(file) === command),
    isRoot: opts.isRoot ?? true,
    ...(opts.configuredDir === undefined ? {} : { configuredDir: opts.configuredDir }),
  };
}
const debian = ['initdb', 'postgres', 'pg_isready'].map((name) => path.join(debianBinDir(), name));

describe('PostgreSQL binaries for the cluster', () => {
  it("uses Debian's server of the pinned major version when it is there", () => {
    assert.deepEqual(planPostgres(machine(debian)), { action: 'use', binDir: debianBinDir() });
  });

  it('installs the pinned Debian package with apt-get when it is missing (sudo -n when not root)', () => {
    const asRoot = planPostgres(machine(['/usr/bin/apt-get']));
    assert.equal(asRoot.action, 'install');
    assert.deepEqual(asRoot.action === 'install' && asRoot.commands.at(-1)?.slice(-1), [DEBIAN_PACKAGE]);
    const asUser = planPostgres(machine(['/usr/bin/apt-get', '/usr/bin/sudo'], { isRoot: false }));
    assert.deepEqual(asUser.action === 'install' && asUser.commands[0]?.slice(0, 2), ['/usr/bin/sudo', '-n']);
  });

  it('fails saying what to do when it can neither find nor install it', () => {
    const noApt = planPostgres(machine([]));
    assert.equal(noApt.action, 'fail');
    assert.match(noApt.action === 'fail' ? noApt.reason : '', new RegExp(POSTGRES_BIN_DIR_VARIABLE));
    const noSudo = planPostgres(machine(['/usr/bin/apt-get'], { isRoot: false }));
    assert.match(
      noSudo.action === 'fail' ? noSudo.reason : '',
      /As root, run: apt-get update && apt-get install/,
    );
    const badDir = planPostgres(machine(debian, { configuredDir: '/opt/nothing' }));
    assert.match(
      badDir.action === 'fail' ? badDir.reason : '',
      /PT_POSTGRES_BIN_DIR is \/opt\/nothing, which does not hold/,
    );
  });
});
