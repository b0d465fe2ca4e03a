import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../infra/paths.js';

// Runs scripts/test.mjs on a small, server-free selection. The PT_TEST_* addresses are dummies: they
// tell the runner servers already exist, so it starts none (connection tests never dial them).
function runTests(args: string[]) {
  return spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'test.mjs'), ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      PT_TEST_TEMPORAL_ADDRESS: '127.0.0.1:1',
      PT_TEST_S3_ENDPOINT: 'http://127.0.0.1:1',
    },
  });
}

void describe('scripts/test.mjs', () => {
  void it('runs the selected files and ends with the node summary and a plain count line', () => {
    const res = runTests(['test/infra/connection.test.ts']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stderr, /\[test\] 1 test file\(s\)/);
    const pass = /^# pass (\d+)$/m.exec(res.stdout);
    assert.ok(pass, `no '# pass N' line in:\n${res.stdout.slice(-800)}`);
    assert.ok(Number(pass[1]) > 0);
    assert.match(res.stdout, /^# fail 0$/m);
    const lastLine = res.stdout.trimEnd().split('\n').at(-1);
    assert.equal(lastLine, `${pass[1]} passed, 0 failed, 0 skipped`);
  });

  void it('rejects a filter that matches nothing, naming it', () => {
    const res = runTests(['test/no-such-folder']);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /test filter 'test\/no-such-folder' matches no file or folder/);
  });
});
