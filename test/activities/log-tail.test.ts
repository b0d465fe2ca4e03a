/**
 * readLogTail (activities/log-tail.ts), the workers' native-decoding path, reads every log tail
 * exactly as domain/logs.ts does and fails with the same errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readLogTail } from '../../activities/log-tail.js';
import { parseInvocationLog } from '../../domain/logs.js';

const b64 = (text: string | Uint8Array): string => Buffer.from(text).toString('base64');

const TEXT_REPORT =
  'START RequestId: r1 Version: 3\nhello é ✓\nEND RequestId: r1\n' +
  'REPORT RequestId: r1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\tInit Duration: 101.5 ms\t\n';
const JSON_REPORT =
  '{"type":"platform.start","record":{}}\n' +
  '{"type":"platform.report","record":{"metrics":{"durationMs":7.25,"billedDurationMs":8,"memorySizeMB":256}}}\n';

/** The outcome of a parser: its result, or its error's class and message. */
function outcome(parse: () => unknown): unknown {
  try {
    return { value: parse() };
  } catch (err) {
    return { error: (err as Error).name, message: (err as Error).message };
  }
}

const cases: Record<string, string | undefined> = {
  'a text REPORT line with multi-byte text before it': b64(TEXT_REPORT),
  'a JSON platform.report record': b64(JSON_REPORT),
  // A 4 KB tail can start in the middle of a UTF-8 sequence.
  'a tail cut inside a UTF-8 sequence': b64(
    Buffer.concat([Buffer.from([0xa9, 0x80]), Buffer.from(TEXT_REPORT)]),
  ),
  'unpadded base64': b64(TEXT_REPORT).replace(/=+$/, ''),
  'base64 with line breaks': b64(TEXT_REPORT).replace(/(.{40})/g, '$1\n'),
  'characters that are not base64': `${b64(TEXT_REPORT).slice(0, 8)}*${b64(TEXT_REPORT).slice(9)}`,
  'no REPORT record': b64('START RequestId: r1\nEND RequestId: r1\n'),
  'a REPORT line without its durations': b64('REPORT RequestId: r1\tBilled Duration: 13 ms\t\n'),
  'an empty LogResult': '',
  'no LogResult': undefined,
};

void describe('readLogTail', () => {
  for (const [name, logResult] of Object.entries(cases)) {
    void it(`agrees with parseInvocationLog on ${name}`, () => {
      assert.deepEqual(
        outcome(() => readLogTail(logResult)),
        outcome(() => parseInvocationLog(logResult)),
      );
    });
  }

  void it('reads the durations of a text REPORT line', () => {
    const parsed = readLogTail(cases['a text REPORT line with multi-byte text before it']);
    assert.deepEqual(
      [parsed.durationMs, parsed.billedDurationMs, parsed.initDurationMs, parsed.format],
      [12.34, 13, 101.5, 'text'],
    );
  });
});
