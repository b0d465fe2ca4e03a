import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TuningSnapshot } from '../../client/api.js';
import { progressViewFor, ttyProgressView } from '../../client/cli/progress-view.js';

function fakeTerminal() {
  let out = '';
  return {
    stream: { isTTY: true, columns: 120, write: (t: string | Uint8Array) => ((out += String(t)), true) },
    // Drop escape sequences, keep the text.
    // eslint-disable-next-line no-control-regex
    text: () => out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''),
  };
}

const snapshot: TuningSnapshot = {
  workflowId: 'wf',
  runId: 'r',
  status: 'RUNNING',
  startTime: new Date(0),
  elapsedMs: 72_000,
  taskQueue: 'q',
  progress: {
    phase: 'invoking',
    sizes: [
      { power: 128, done: 10, total: 10, errors: 0, averageDuration: 812.5 },
      { power: 1024, done: 3, total: 10, errors: 1 },
    ],
  },
};

void describe('terminal progress', () => {
  void it('draws the phase, the elapsed time and a bar with done/total per memory size', () => {
    const term = fakeTerminal();
    const view = ttyProgressView(term.stream);
    view.update(snapshot);
    view.stop();
    const text = term.text();
    assert.match(text, /phase: invoking · elapsed 1:12/);
    assert.match(text, /128 MB [█░]+ 10\/10 avg 812\.5 ms, done/);
    assert.match(text, /1024 MB [█░]+ 3\/10 1 error/);
  });

  void it('uses plain lines when the stream is not a terminal, and nothing with --quiet', () => {
    const lines: string[] = [];
    const stream = { write: (t: string | Uint8Array) => (lines.push(String(t)), true) };
    const plain = progressViewFor(stream, false);
    plain.update(snapshot);
    plain.stop();
    assert.deepEqual(lines, ['[1:12] invoking: 128 MB 10/10, 1024 MB 3/10 (1 failed)\n']);
    const quiet = progressViewFor(stream, true);
    quiet.update(snapshot);
    assert.equal(lines.length, 1);
  });
});
