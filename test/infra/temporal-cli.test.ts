import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { withDirLock } from '../../infra/lock.js';
import { ensureTemporalCli, temporalVersion } from '../../infra/temporal-cli.js';

void describe('ensureTemporalCli', () => {
  void it('returns an absolute path to a runnable temporal CLI', async () => {
    const cli = await ensureTemporalCli({ log: () => undefined });
    assert.ok(path.isAbsolute(cli), `expected an absolute path, got ${cli}`);
    const out = execFileSync(cli, ['--version'], { encoding: 'utf8' });
    assert.match(out, /^temporal version \d+\.\d+\.\d+/);
  });

  void it('answers from an existing source without installing again, and says which one', async () => {
    await ensureTemporalCli({ log: () => undefined });
    const messages: string[] = [];
    const cli = await ensureTemporalCli({ log: (m) => messages.push(m) });
    assert.ok(
      messages.some((m) => /using .* from (TEMPORAL_CLI_PATH|PATH|the project cache)/.test(m)),
      messages.join('\n'),
    );
    assert.ok(!messages.some((m) => /installing|building/.test(m)), messages.join('\n'));
    assert.ok(await temporalVersion(cli));
  });

  void it('skips a TEMPORAL_CLI_PATH that is not a working CLI', async () => {
    const saved = process.env['TEMPORAL_CLI_PATH'];
    process.env['TEMPORAL_CLI_PATH'] = '/bin/false';
    try {
      const messages: string[] = [];
      const cli = await ensureTemporalCli({ log: (m) => messages.push(m) });
      assert.notEqual(cli, '/bin/false');
      assert.ok(messages.some((m) => m.includes('TEMPORAL_CLI_PATH (/bin/false) is not a working CLI')));
    } finally {
      if (saved === undefined) delete process.env['TEMPORAL_CLI_PATH'];
      else process.env['TEMPORAL_CLI_PATH'] = saved;
    }
  });

  void it('concurrent callers agree on one binary', async () => {
    const [a, b] = await Promise.all([
      ensureTemporalCli({ log: () => undefined }),
      ensureTemporalCli({ log: () => undefined }),
    ]);
    assert.equal(fs.realpathSync(a), fs.realpathSync(b));
  });
});

void describe('withDirLock', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-lock-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  void it('never lets two holders overlap', async () => {
    const lock = path.join(dir, 'a.lock');
    let inside = 0;
    let maxInside = 0;
    const work = () =>
      withDirLock(lock, async () => {
        inside += 1;
        maxInside = Math.max(maxInside, inside);
        await sleep(20);
        inside -= 1;
      });
    await Promise.all([work(), work(), work()]);
    assert.equal(maxInside, 1);
    assert.equal(fs.existsSync(lock), false, 'lock directory is removed after use');
  });

  void it('takes over a lock whose owner process is dead', async () => {
    const lock = path.join(dir, 'b.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.pid'], { stdio: 'ignore' }).pid;
    assert.ok(dead);
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'owner'), String(dead));
    const result = await withDirLock(lock, async () => 'got it', { timeoutMs: 5000 });
    assert.equal(result, 'got it');
  });

  void it('gives up on a live holder after the timeout, naming the lock', async () => {
    const lock = path.join(dir, 'c.lock');
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'owner'), String(process.pid));
    await assert.rejects(
      withDirLock(lock, async () => 'never', { timeoutMs: 300 }),
      /waiting for lock .*c\.lock/,
    );
  });
});
