/**
 * No input the validator accepts can jam a run by outgrowing Temporal's limits (2 MB per payload,
 * 51,200 events and 50 MB per history): per-size results travel as bounded summaries, the inline
 * payload is passed by reference, and paced runs wait inside their batches. Both runs here stay
 * under 20% of the history limits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALL_POWER_VALUES, MAX_INLINE_PAYLOAD_BYTES, MAX_SLEEP_INVOCATIONS } from '../../domain/limits.js';
import { validateInput } from '../../domain/validate.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const EVENT_LIMIT = 51_200;
const SIZE_LIMIT = 50 * 1024 * 1024;

const functions = writeTestFunctions({ 'wide-fn': { cpuMs: 5 }, 'paced-fn': { cpuMs: 1 } });

async function historyShare(handle: Awaited<ReturnType<Harness['start']>>) {
  const described = await handle.describe();
  const events = described.historyLength;
  const bytes = described.historySize ?? Number.POSITIVE_INFINITY;
  return { events, bytes, eventShare: events / EVENT_LIMIT, sizeShare: bytes / SIZE_LIMIT };
}

describe('history limits', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  it('"ALL" sizes × num 300 completes with every invocation counted', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'wide-fn');
    const handle = await h.start({ lambdaARN: 'wide-fn', num: 300, powerValues: 'ALL' });
    const out = await handle.result();
    assert.equal(out.results.length, ALL_POWER_VALUES.length);
    assert.ok(out.results.every((r: { invocations: number }) => r.invocations === 300));
    const share = await historyShare(handle);
    console.log(`ALL × 300: ${share.events} events, ${share.bytes} bytes`);
    assert.ok(share.eventShare < 0.2, `${share.events} events`);
    assert.ok(share.sizeShare < 0.2, `${share.bytes} bytes`);
    assert.deepEqual(await functionState(lambda, 'wide-fn'), before);
  });

  it('the largest inline payload with the longest paced run completes', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'paced-fn');
    // {"data":"xxx…"}: 11 bytes of JSON around the string.
    const payload = { data: 'x'.repeat(MAX_INLINE_PAYLOAD_BYTES - 11) };
    const input = {
      lambdaARN: 'paced-fn',
      num: MAX_SLEEP_INVOCATIONS / 2,
      powerValues: [128, 256],
      sleepBetweenRunsMs: 1,
      payload,
    };
    assert.equal(JSON.stringify(payload).length, MAX_INLINE_PAYLOAD_BYTES);
    validateInput(input); // the largest accepted, not one byte more
    assert.throws(() => validateInput({ ...input, payload: { data: `${payload.data}x` } }), /payload/);
    assert.throws(() => validateInput({ ...input, num: input.num + 1 }), /sleepBetweenRunsMs/);

    const handle = await h.start(input);
    const out = await handle.result();
    assert.deepEqual(
      out.results.map((r: { invocations: number }) => r.invocations),
      [input.num, input.num],
      JSON.stringify(out.results.map((r: { infeasibleReason?: string }) => r.infeasibleReason)),
    );
    const share = await historyShare(handle);
    console.log(
      `paced 2 × ${input.num} with a ${MAX_INLINE_PAYLOAD_BYTES}-byte payload: ${share.events} events, ${share.bytes} bytes`,
    );
    assert.ok(share.eventShare < 0.2, `${share.events} events`);
    assert.ok(share.sizeShare < 0.2, `${share.bytes} bytes`);
    assert.deepEqual(await functionState(lambda, 'paced-fn'), before);
  });
});
