/**
 * `npm run cluster` as a user runs it: started with one worker and the emulator, it prints the
 * exports a second terminal needs; `powertune run` with them completes a tuning on the cluster; a
 * second start is refused while it runs; `npm run cluster -- stop` from another process stops it
 * and every port it served is closed. The cluster's folder is a temporary one (PT_CLUSTER_DIR).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLUSTER_SCRIPT } from '../../infra/cluster/control.js';
import { isPortOpen } from '../../infra/free-port.js';
import { PROJECT_ROOT } from '../../infra/paths.js';
import { cliEnv, powertune } from '../e2e/support.js';
import { LOCAL_STACK_EXPORTS } from '../support/local-exports.js';

const SCRIPT = ['--import', 'tsx', CLUSTER_SCRIPT];

interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script to its end (bounded). */
function runScript(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...SCRIPT, ...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run cluster', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let cluster: ChildProcess;
  let stdout = '';
  let stderr = '';
  let exited: Promise<number | null>;
  const exports = new Map<string, string>();

  before(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pt-cluster-script-'));
    // PostgreSQL runs as its own account when we are root: it must reach the data folder inside.
    await fs.promises.chmod(dir, 0o755);
    env = { ...process.env, PT_CLUSTER_DIR: dir };
    cluster = spawn(process.execPath, [...SCRIPT, '--workers', '1', '--emulator'], {
      cwd: PROJECT_ROOT,
      env,
    });
    exited = new Promise((resolve) => cluster.once('exit', (code) => resolve(code)));
    cluster.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const printed = new Promise<void>((resolve, reject) => {
      cluster.stdout?.on('data', (c: Buffer) => {
        stdout += c.toString('utf8');
        if (stdout.includes('npm run cluster -- stop')) resolve();
      });
      cluster.once('exit', (code) =>
        reject(new Error(`the cluster exited (${code}) during start-up:\n${stderr}`)),
      );
      setTimeout(() => reject(new Error(`no exports within 5 minutes:\n${stderr}`)), 300_000).unref();
    });
    await printed;
    for (const m of stdout.matchAll(/^export (\w+)=(\S+)$/gm)) exports.set(m[1] as string, m[2] as string);
  });

  after(async () => {
    if (cluster && cluster.exitCode === null && cluster.signalCode === null) {
      cluster.kill('SIGTERM');
      await exited;
    }
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('prints the exports another terminal needs', () => {
    assert.deepEqual([...exports.keys()], [...LOCAL_STACK_EXPORTS]);
    assert.equal(exports.get('TEMPORAL_TASK_QUEUE'), 'power-tuning');
    assert.match(exports.get('TEMPORAL_ADDRESS') ?? '', /^127\.0\.0\.1:\d+$/);
  });

  it('refuses a second start while it runs, saying how to stop the first', async () => {
    const second = await runScript(['--workers', '1'], env);
    assert.equal(second.code, 1);
    assert.match(
      second.stderr,
      /a cluster is already running \(pid \d+, Temporal at 127\.0\.0\.1:\d+\); stop it with: npm run cluster -- stop/,
    );
  });

  it('powertune run with those exports completes a tuning on the cluster', async () => {
    const exported = (name: string) => exports.get(name) ?? '';
    const env = {
      ...cliEnv(
        exported('TEMPORAL_ADDRESS'),
        exported('TEMPORAL_NAMESPACE'),
        exported('TEMPORAL_TASK_QUEUE'),
      ),
      ...Object.fromEntries(exports),
    };
    const args = ['run', 'io-bound', '-n', '5', '--power-values', '512,1024', '--fixed', '--quiet'];
    const run = await powertune(args, env, { timeoutMs: 180_000 });
    assert.equal(run.code, 0, run.stderr);
    // io-bound is at 128 MB: the tuning measures that size too (the baseline), and it may win.
    assert.match(run.stdout, /Only these sizes were measured: 128, 512, 1024 MB\./);
    assert.match(run.stdout, /Recommended: (128|512|1024) MB/);
  });

  it('npm run cluster -- stop, from another process, stops every part of it', async () => {
    const stop = await runScript(['stop'], env);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stderr, /cluster: stopped/);
    assert.equal(await exited, 0, stderr);
    const address = exports.get('TEMPORAL_ADDRESS') ?? '';
    assert.equal(await isPortOpen(Number(address.split(':')[1])), false, 'Temporal frontend closed');
    const ui = new URL(exports.get('TEMPORAL_UI_URL') ?? '');
    assert.equal(await isPortOpen(Number(ui.port)), false, 'Web UI closed');
    const again = await runScript(['stop'], env);
    assert.match(again.stderr, /cluster: none is running/);
  });
});
