/**
 * Spreading each size over execution environments (input `environments`; real dev server,
 * emulator): an adaptive run publishes every size three times, shares its calls evenly among the
 * three aliases, numbers their batches on within a round, still recommends a size, and leaves no
 * alias or version of its own behind. Under a p95 bound, a size whose verdict stays open is
 * published again over more environments between rounds, and those go too. A refused value
 * changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { aliasName, runTag } from '../../domain/naming.js';
import type { TuningOutput } from '../../domain/types.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

// CPU-bound, so more memory is clearly faster; some noise per call and per environment (host).
const CPU_MS = 200;
const IO_MS = 10;
const functions = writeTestFunctions(
  {
    spread: {
      cpuMs: CPU_MS,
      ioWaitMs: IO_MS,
      coldStartMs: 1000,
      relativeNoise: 0.05,
      environmentSpread: 0.05,
    },
    // Hosts 8% apart: a p95 close under the bound stays open on a few environments.
    hosts: { cpuMs: 300, relativeNoise: 0.1, environmentSpread: 0.08 },
  },
  {},
  // Today's size is among those tuned, so no baseline size joins them.
  { spread: { memorySize: 1024 }, hosts: { memorySize: 1024 } },
);
const SIZES = [512, 1024, 1769];
const ENVIRONMENTS = 3;

describe('sizes spread over environments', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  it('publishes each size three times, shares its calls among them, and cleans every one up', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'spread');
    await h.emulator.admin.clearEvents();
    const handle = await h.start({
      lambdaARN: 'spread',
      num: 6,
      powerValues: SIZES,
      strategy: 'speed',
      confidence: 0.95,
      environments: ENVIRONMENTS,
    });
    const out = (await handle.result()) as TuningOutput;
    const tag = runTag((await handle.describe()).runId);
    const events = await h.emulator.admin.events();
    const invokes = (await h.emulator.admin.invokes()).filter((t) => t.functionName === 'spread');

    assert.equal(out.power, 1769, 'the fastest size, by far');
    assert.deepEqual(
      out.results.map((r) => r.power),
      SIZES,
    );
    // The lock's saved version, then three versions per size.
    const published = events.filter((e) => e.operation === 'PublishVersion' && e.status < 300);
    assert.equal(published.length, 1 + ENVIRONMENTS * SIZES.length);
    for (const row of out.results) {
      const aliases = [aliasName(tag, row.power), aliasName(tag, row.power, 0), aliasName(tag, row.power, 1)];
      // Deleted one by one at cleanup (CreateAlias names its alias in the body, which the log does not keep).
      const deleted = events
        .filter(
          (e) =>
            e.operation === 'DeleteAlias' &&
            e.status < 300 &&
            e.aliasName?.startsWith(`ptune-${tag}-${row.power}`),
        )
        .map((e) => e.aliasName);
      assert.deepEqual([...deleted].sort(), [...aliases].sort(), `${row.power} MB: its three aliases`);
      // Every call of the size went to one of its three aliases, as evenly as the rounds allow.
      const counts = aliases.map((alias) => invokes.find((t) => t.qualifier === alias)?.invocations ?? 0);
      assert.equal(
        counts.reduce((a, b) => a + b, 0),
        row.invocations,
        `${row.power} MB: ${counts.join(' + ')}`,
      );
      assert.ok(
        Math.max(...counts) - Math.min(...counts) <= 1,
        `${row.power} MB shares ${counts.join(', ')}`,
      );
      assert.ok(
        Math.min(...counts) >= 2,
        `${row.power} MB: each environment got its share of the first round`,
      );
      // A version of its own each: every environment started cold…
      assert.ok(row.coldStarts >= ENVIRONMENTS, `${row.power} MB: ${row.coldStarts} cold starts`);
      // …and those first calls (a second of init each) stay out of the durations.
      const warmMs = CPU_MS * Math.max(1, 1769 / row.power) + IO_MS;
      assert.ok(
        row.p99 < 1.4 * warmMs,
        `${row.power} MB: p99 ${row.p99} ms, warm calls take about ${warmMs} ms`,
      );
    }
    // No call went anywhere else.
    assert.equal(
      invokes.reduce((sum, t) => sum + t.invocations, 0),
      out.invocationsSpent,
    );

    // Within a round, the batch numbers of a size go on from one environment to the next.
    const ids = ((await handle.fetchHistory()).events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes)
      .filter((a) => a?.activityType?.name === 'invokeBatch')
      .map((a) => a?.activityId ?? '');
    assert.equal(new Set(ids).size, ids.length, 'unique activity ids');
    for (const power of SIZES) {
      const firstRound = ids.filter((id) => id.startsWith(`invoke-${power}-r1-`)).sort();
      assert.deepEqual(
        firstRound,
        [1, 2, 3].map((batch) => `invoke-${power}-r1-${batch}`),
      );
    }

    // Nothing of the run is left: memory, description, versions and aliases as before.
    assert.deepEqual(await functionState(lambda, 'spread'), before);
  });

  it('spreads a size whose p95 verdict stays open over more environments, and removes them all', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'hosts');
    await h.emulator.admin.clearEvents();
    // 1,024 MB: about 520 ms, p95 about 610 ms, close under the bound; 2,048 MB about 300 ms.
    const handle = await h.start({
      lambdaARN: 'hosts',
      num: 5,
      powerValues: [1024, 2048],
      strategy: 'cost',
      confidence: 0.95,
      constraints: { percentile: 95, maxDurationMs: 680 },
    });
    const out = (await handle.result()) as TuningOutput;
    const tag = runTag((await handle.describe()).runId);
    const events = await h.emulator.admin.events();
    const invokes = (await h.emulator.admin.invokes()).filter((t) => t.functionName === 'hosts');

    // Published again with more environments: more versions than the first setup's 4 per size.
    const published = events.filter((e) => e.operation === 'PublishVersion' && e.status < 300).length;
    assert.ok(published > 1 + 2 * 4, `${published} versions published`);
    const grownAliases = invokes.filter((t) => t.qualifier?.startsWith(`ptune-${tag}-1024`)).length;
    assert.ok(grownAliases > 4, `1,024 MB ran on ${grownAliases} aliases`);
    assert.ok((out.hosts?.mostEnvironments ?? 0) >= grownAliases, JSON.stringify(out.hosts));
    // Whatever the verdict, no size over the bound is recommended.
    if (out.power !== null) {
      const chosen = out.constraints?.sizes.find((s) => s.power === out.power);
      assert.equal(chosen?.verdict, 'meets');
    }
    // Every alias the run made is deleted, the grown ones too, and the function is as it was.
    const deleted = new Set(
      events
        .filter(
          (e) => e.operation === 'DeleteAlias' && e.status < 300 && e.aliasName?.startsWith(`ptune-${tag}-`),
        )
        .map((e) => e.aliasName),
    );
    for (const t of invokes.filter((t) => t.qualifier?.startsWith(`ptune-${tag}-`)))
      assert.ok(deleted.has(t.qualifier), `${t.qualifier} deleted`);
    assert.deepEqual(await functionState(lambda, 'hosts'), before);
  });

  it('refuses more than one environment with dryRun before any AWS call', async () => {
    const eventsBefore = (await h.emulator.admin.events()).length;
    const handle = await h.start({ lambdaARN: 'spread', dryRun: true, powerValues: SIZES, environments: 2 });
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.type, 'InvalidInput');
      assert.match(err.cause.message, /Invalid input "environments": 2 with "dryRun": true/);
      return true;
    });
    assert.equal((await h.emulator.admin.events()).length, eventsBefore);
  });
});
