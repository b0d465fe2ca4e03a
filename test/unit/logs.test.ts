import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeBase64, utf8Encode } from '../../domain/base64.js';
import { LogParseError, invocationMetrics, parseInvocationLog, parseLogText } from '../../domain/logs.js';

const b64 = (text: string) => encodeBase64(utf8Encode(text));
const ID = '55bc566d-2b41-4ad1-a0d6-7fe5f3b5f8ac';
const L =
  `START RequestId: ${ID} Version: $LATEST\nEND RequestId: ${ID}\nREPORT RequestId: ${ID}\tDuration: 469.40 ms` +
  '\tBilled Duration: 500 ms\tMemory Size: 1024 MB\tMax Memory Used: 21 MB\tInit Duration: 100.99 ms';

describe('text logs (§11.1)', () => {
  it('reads duration, billed, init and memory figures', () => {
    const parsed = parseInvocationLog(b64(L));
    assert.deepEqual(parsed, {
      durationMs: 469.4,
      billedDurationMs: 500,
      initDurationMs: 100.99,
      restoreDurationMs: 0,
      billedRestoreDurationMs: 0,
      memorySizeMb: 1024,
      maxMemoryUsedMb: 21,
      format: 'text',
    });
    const metrics = invocationMetrics(parsed);
    assert.equal(metrics.durationMs, 570.39);
    assert.equal(metrics.billedMs, 500);
    assert.equal(metrics.coldStart, true);
    assert.equal(metrics.initMs, 100.99);
  });

  it('reads SnapStart restore figures', () => {
    const parsed = parseInvocationLog(
      b64(
        L.replace(
          '\tInit Duration: 100.99 ms',
          '\tRestore Duration: 474.16 ms\tBilled Restore Duration: 75 ms',
        ),
      ),
    );
    assert.equal(parsed.restoreDurationMs, 474.16);
    assert.equal(parsed.billedRestoreDurationMs, 75);
    const metrics = invocationMetrics(parsed);
    assert.equal(metrics.durationMs, 943.56);
    assert.equal(metrics.billedMs, 575);
  });

  it('rounds the summed duration to Lambda precision, dropping float noise', () => {
    const parsed = parseLogText(
      'REPORT RequestId: x\tDuration: 0.1 ms\tBilled Duration: 1 ms\tInit Duration: 0.2 ms',
    );
    assert.equal(invocationMetrics(parsed).durationMs, 0.3); // 0.1 + 0.2 is 0.30000000000000004 in floats
  });

  it('accepts integer durations (upstream read "Duration: 5 ms" as 0)', () => {
    const parsed = parseLogText(
      'REPORT RequestId: x\tDuration: 5 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB',
    );
    assert.equal(parsed.durationMs, 5);
    assert.equal(invocationMetrics(parsed).coldStart, false);
  });

  it('reads the five-report vector as five invocations', () => {
    const durations = [1.0, 1.0, 2.0, 3.0, 3.0].map(
      (d) =>
        parseLogText(`REPORT RequestId: x\tDuration: ${d.toFixed(1)} ms\tBilled Duration: ${d} ms`)
          .durationMs,
    );
    assert.deepEqual(durations, [1, 1, 2, 3, 3]);
  });

  it('throws LogParseError for "hello world", a START-only log and a missing LogResult (upstream averaged zeros)', () => {
    for (const text of ['hello world', `START RequestId: ${ID} Version: $LATEST`]) {
      assert.throws(() => parseInvocationLog(b64(text)), LogParseError);
    }
    assert.throws(() => parseInvocationLog(undefined), /LogType "Tail"/);
    assert.throws(() => parseInvocationLog('***'), /not valid base64/);
  });

  it('survives the 4 KB tail cutting the first line in the middle (#261)', () => {
    const noisy = `${'x'.repeat(5000)}\n{"level":"INFO","msg":"${'y'.repeat(100)}"}\n${L}`;
    const tail = noisy.slice(noisy.length - 4096);
    assert.equal(parseLogText(tail).durationMs, 469.4);
  });

  it('uses the last REPORT line when there are several', () => {
    const two =
      'REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\nREPORT RequestId: b\tDuration: 2.00 ms\tBilled Duration: 2 ms';
    assert.equal(parseLogText(two).durationMs, 2);
  });

  it('works without tabs (fields separated by spaces)', () => {
    const parsed = parseLogText(
      'REPORT RequestId: x Duration: 12.5 ms Billed Duration: 13 ms Init Duration: 3.5 ms',
    );
    assert.equal(parsed.durationMs, 12.5);
    assert.equal(parsed.billedDurationMs, 13);
    assert.equal(parsed.initDurationMs, 3.5);
  });

  it('throws when the REPORT line lacks Duration', () => {
    assert.throws(() => parseLogText('REPORT RequestId: x\tBilled Duration: 2 ms'), /lacks "Duration"/);
  });
});

const jsonReport = (metrics: Record<string, number>) =>
  JSON.stringify({
    time: '2024-01-01T00:00:00.000Z',
    type: 'platform.report',
    record: { requestId: 'x', metrics, status: 'success' },
  });

describe('JSON logs (§11.2)', () => {
  it('reads the metrics of platform.report', () => {
    const parsed = parseLogText(
      `{"time":"t","type":"platform.start","record":{}}\n${jsonReport({ durationMs: 1.317, billedDurationMs: 2, initDurationMs: 10 })}`,
    );
    assert.equal(parsed.durationMs, 1.317);
    assert.equal(parsed.billedDurationMs, 2);
    assert.equal(parsed.initDurationMs, 10);
    assert.equal(parsed.format, 'json');
  });

  it('reads SnapStart restore metrics', () => {
    const parsed = parseLogText(
      jsonReport({
        durationMs: 147.156,
        billedDurationMs: 201,
        restoreDurationMs: 500.795,
        billedRestoreDurationMs: 53,
      }),
    );
    assert.equal(parsed.restoreDurationMs, 500.795);
    assert.equal(parsed.billedRestoreDurationMs, 53);
  });

  it('gives 0 for missing optional metrics: init, restore (#305 threw)', () => {
    const parsed = parseLogText(
      jsonReport({ durationMs: 3, billedDurationMs: 3, memorySizeMB: 128, maxMemoryUsedMB: 60 }),
    );
    assert.equal(parsed.initDurationMs, 0);
    assert.equal(parsed.restoreDurationMs, 0);
    assert.equal(parsed.billedRestoreDurationMs, 0);
    assert.equal(parsed.maxMemoryUsedMb, 60);
  });

  it('detects JSON by content: text lines before the record do not matter', () => {
    const text = `some plain text line\n${jsonReport({ durationMs: 7, billedDurationMs: 7 })}\n`;
    assert.equal(parseLogText(text).format, 'json');
  });

  it('reads a whole-document JSON array of events', () => {
    const text = `[${jsonReport({ durationMs: 8, billedDurationMs: 8 })}]`;
    assert.equal(parseLogText(text).durationMs, 8);
  });

  it('throws for a lone INFO JSON line and for a report without durationMs', () => {
    assert.throws(() => parseLogText('{"level":"INFO","message":"hi"}'), LogParseError);
    assert.throws(() => parseLogText(jsonReport({ billedDurationMs: 2 })), /"durationMs"/);
  });

  it('without billedDurationMs bills the duration rounded up to the next whole millisecond', () => {
    const parsed = parseLogText(jsonReport({ durationMs: 1.317, initDurationMs: 10 }));
    assert.equal(parsed.billedDurationMs, 2);
    assert.equal(parsed.durationMs, 1.317);
    assert.equal(invocationMetrics(parsed).billedMs, 2);
    assert.equal(parseLogText(jsonReport({ durationMs: 5 })).billedDurationMs, 5);
    assert.equal(parseLogText(jsonReport({ durationMs: 0.001 })).billedDurationMs, 1);
    // SnapStart's billed restore time is still added when it is there.
    const restored = parseLogText(jsonReport({ durationMs: 99.2, billedRestoreDurationMs: 53 }));
    assert.equal(invocationMetrics(restored).billedMs, 153);
  });

  it('throws when billedDurationMs is there but not a number', () => {
    const text = JSON.stringify({
      type: 'platform.report',
      record: { metrics: { durationMs: 3, billedDurationMs: 'soon' } },
    });
    assert.throws(() => parseLogText(text), /no numeric "billedDurationMs"/);
  });
});

describe('log parser properties', () => {
  const ms = fc.oneof(
    fc.integer({ min: 0, max: 900000 }),
    fc.double({ min: 0, max: 900000, noNaN: true }).map((d) => Math.round(d * 100) / 100),
  );

  it('generated REPORT lines parse back to their numbers', () => {
    fc.assert(
      fc.property(
        ms,
        fc.integer({ min: 1, max: 900000 }),
        fc.option(ms, { nil: undefined }),
        fc.boolean(),
        (d, billed, init, json) => {
          const text = json
            ? jsonReport({
                durationMs: d,
                billedDurationMs: billed,
                ...(init === undefined ? {} : { initDurationMs: init }),
              })
            : `REPORT RequestId: r\tDuration: ${d} ms\tBilled Duration: ${billed} ms\tMemory Size: 512 MB` +
              (init === undefined ? '' : `\tInit Duration: ${init} ms`);
          const parsed = parseInvocationLog(b64(text));
          assert.equal(parsed.durationMs, d);
          assert.equal(parsed.billedDurationMs, billed);
          assert.equal(parsed.initDurationMs, init ?? 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a truncated prefix never crashes: it parses or throws LogParseError', () => {
    const full = `${L}\n${jsonReport({ durationMs: 1, billedDurationMs: 1 })}`;
    const bytes = utf8Encode(`é€ ${full}`);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length }), (cut) => {
        try {
          parseInvocationLog(encodeBase64(bytes.subarray(cut)));
        } catch (error) {
          assert.ok(error instanceof LogParseError, String(error));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary text never crashes the parser with anything but LogParseError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          parseLogText(text);
        } catch (error) {
          assert.ok(error instanceof LogParseError, String(error));
        }
      }),
      { numRuns: 300 },
    );
  });
});
