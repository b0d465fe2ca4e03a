/**
 * Determinism: recorded histories must replay against the current workflow code. A change that
 * alters the workflow's commands fails here until it is guarded with `patched()` or the
 * histories are recorded anew (scripts/record-histories.ts) on purpose.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/tuning-harness.js';

const DIR = new URL('../fixtures/histories/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    assert.ok(files.length >= 3, `expected recorded histories in ${DIR.pathname}`);
  });

  for (const file of files) {
    it(`replays ${file} without nondeterminism`, async () => {
      const history = historyFromJSON(JSON.parse(readFileSync(new URL(file, DIR), 'utf8')));
      await Worker.runReplayHistory(
        { workflowBundle: await workflowBundle() },
        history,
        `replay-${file.replace(/\.json$/, '')}`,
      );
    });
  }
});
