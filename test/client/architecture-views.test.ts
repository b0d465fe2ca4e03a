/**
 * A tuning over both architectures in the views: the report lists each architecture's own
 * recommendation (or why it could not run the code), marks the chosen one and today's, leads with
 * the statement, and says that the charts show the chosen architecture's sizes only; the terminal
 * summary names the architecture in its headline. Outputs come from the same analysis and choice
 * the workflow runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { architectureRows } from '../../client/format/architectures.js';
import { explainRecommendation } from '../../client/format/recommendation.js';
import { renderReport } from '../../client/report/html.js';
import { chooseArchitecture, type ArchitecturePass } from '../../domain/architectures.js';
import type { TuningOutput } from '../../domain/types.js';
import { simulatedOutput } from './simulated.js';

/** Speed on CPU-bound code, arm64 (pass 2) 40% faster: arm64 is chosen. */
function chosenArm(armFails = false): TuningOutput {
  const input = { strategy: 'speed' as const, confidence: 0.95 };
  const x86 = simulatedOutput({ seed: 3, base: (p: number) => 400_000 / Math.min(p, 1769), input });
  const arm = simulatedOutput({ seed: 4, base: (p: number) => 240_000 / Math.min(p, 1769), input });
  const passes: ArchitecturePass[] = [
    { architecture: 'x86_64', output: x86 },
    armFails
      ? { architecture: 'arm64', infeasibleReason: 'Runtime.InvalidEntrypoint: exec format error' }
      : { architecture: 'arm64', output: { ...arm, architecture: 'arm64' } },
  ];
  const { pass, report } = chooseArchitecture(passes, 'x86_64', {
    strategy: 'speed',
    tolerance: 0.01,
    balancedWeight: 0.5,
  });
  assert.ok(pass?.output);
  return { ...pass.output, architectures: report };
}

void describe('architectures in the views', () => {
  void it('rows: each architecture’s own recommendation, the chosen one and today’s marked', () => {
    const output = chosenArm();
    assert.equal(output.architecture, 'arm64');
    const rows = architectureRows(output);
    assert.deepEqual(
      rows.map((r) => [r.architecture, r.notes]),
      [
        ['x86_64', 'today'],
        ['arm64', 'chosen'],
      ],
    );
    assert.match(rows[1]?.size ?? '', /^\d+ MB$/);
    assert.match(rows[1]?.duration ?? '', /^\d+(\.\d+)? ms$/);
  });

  void it('report: the statement leads, the table lists both, the scope of the charts is said', () => {
    const html = renderReport({ output: chosenArm() });
    assert.match(html, /<h2>Architectures<\/h2>/);
    assert.match(html, /id="architectures-statement">arm64 at \d+ MB .* is faster than x86_64/);
    assert.match(html, /<tr class="chosen"><td>arm64<\/td>/);
    assert.match(html, /<td>x86_64<\/td>.*<td>today<\/td><\/tr>/);
    assert.match(html, /show the chosen architecture’s sizes/);
    // The headline names the pair.
    assert.match(html, /Recommended: \d+ MB on arm64:/);
  });

  void it('an architecture that could not run the code is listed with the reason', () => {
    const output = chosenArm(true);
    assert.equal(output.architecture, 'x86_64');
    const html = renderReport({ output });
    assert.match(
      html,
      /<td>arm64<\/td><td>none<\/td><td>-<\/td><td>-<\/td><td>could not run the code: Runtime\.InvalidEntrypoint: exec format error<\/td>/,
    );
    assert.match(
      explainRecommendation(output).reasons.join(' '),
      /x86_64 is the only architecture with a recommendation/,
    );
  });

  void it('a run without architectures has no such section', () => {
    const html = renderReport({ output: simulatedOutput({ seed: 5, base: () => 100 }) });
    assert.doesNotMatch(html, /<h2>Architectures<\/h2>/);
    assert.equal(architectureRows(simulatedOutput({ seed: 5, base: () => 100 })).length, 0);
  });
});
