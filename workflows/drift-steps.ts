/**
 * Steps shared by both kinds of scheduled run (one function, a fleet): the options of the
 * previous-run lookup, and the drift webhook, whose failure is recorded but never fails the run.
 */
import { isCancellation, type ActivityOptions } from '@temporalio/workflow';
import type { DriftNotice, WebhookOutcome } from '../domain/drift.js';
import { rootCause } from '../domain/errors.js';
import type { FleetDriftNotice } from '../domain/fleet-drift.js';
import { acts } from './activity-options.js';

/** A visibility query and a result read: quick, retried through a short server hiccup. */
export const LOOKUP: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
  },
};

/** Each POST gives up after 10 s (activities/webhook.ts); five attempts within about two minutes. */
const WEBHOOK: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
  },
};

export async function sendWebhook(
  url: string,
  notice: DriftNotice | FleetDriftNotice,
  summary: string,
): Promise<WebhookOutcome> {
  try {
    const delivery = await acts.sendDriftWebhook.executeWithOptions({ ...WEBHOOK, summary }, [
      { url, notice },
    ]);
    return { delivered: true, status: delivery.status, encoded: delivery.encoded };
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { delivered: false, error: rootCause(err).message };
  }
}
