/**
 * The names and queries clients use (domain/workflow-api.ts) are those the worker registers and
 * the workflow answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import {
  CLEANUP_FUNCTION_WORKFLOW,
  FLEET_TUNING_WORKFLOW,
  POWER_TUNING_WORKFLOW,
  SCHEDULED_TUNING_WORKFLOW,
  batchProgressSignal,
  fleetProgressQuery,
  payloadQuery,
  progressQuery,
} from '../../domain/workflow-api.js';
import * as workflows from '../../workflows/index.js';

describe('workflow API', () => {
  it('names the workflows the worker registers (the exports of workflows/index.ts)', () => {
    assert.equal(workflows[POWER_TUNING_WORKFLOW], workflows.powerTuning);
    assert.equal(workflows[CLEANUP_FUNCTION_WORKFLOW], workflows.cleanupFunction);
    assert.equal(workflows[FLEET_TUNING_WORKFLOW], workflows.fleetTuning);
    assert.equal(workflows[SCHEDULED_TUNING_WORKFLOW], workflows.scheduledTuning);
  });

  it('builds the same query definitions as the SDK', () => {
    assert.deepEqual(progressQuery, defineQuery(progressQuery.name));
    assert.deepEqual(fleetProgressQuery, defineQuery(fleetProgressQuery.name));
    assert.deepEqual(payloadQuery, defineQuery(payloadQuery.name));
    assert.deepEqual(batchProgressSignal, defineSignal(batchProgressSignal.name));
  });
});
