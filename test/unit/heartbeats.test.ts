/**
 * The heartbeat numbers of domain/heartbeats.ts only work together: a live step must be heard
 * well within the heartbeat timeout, and steps that cannot heartbeat must end within it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3_UNREACHABLE_RETRY } from '../../activities/aws/s3-payload.js';
import {
  HEARTBEAT_THROTTLE_MS,
  HEARTBEAT_TIMEOUT_MS,
  KEEPALIVE_MS,
  PROGRESS_BEAT_MIN_MS,
} from '../../domain/heartbeats.js';

describe('heartbeat timing', () => {
  it('lets a live step be heard at least twice within the timeout', () => {
    // A beat leaves the worker at most one throttle interval after the keepalive sent it.
    const longestSilenceMs = KEEPALIVE_MS + HEARTBEAT_THROTTLE_MS;
    assert.ok(
      2 * longestSilenceMs <= HEARTBEAT_TIMEOUT_MS,
      `${longestSilenceMs} ms vs ${HEARTBEAT_TIMEOUT_MS} ms`,
    );
  });

  it('paces progress beats no slower than the worker forwards them', () => {
    assert.ok(PROGRESS_BEAT_MIN_MS <= HEARTBEAT_THROTTLE_MS);
  });

  it('gives up on an unreachable S3 endpoint before the timeout (prepareTuning does not heartbeat)', () => {
    assert.ok(S3_UNREACHABLE_RETRY.budgetMs < HEARTBEAT_TIMEOUT_MS);
  });
});
