/** The cold-start sweep's table, terminal and Markdown (its closing line is the sweep's `line`). */
import Table from 'cli-table3';
import type { ColdCell, ColdSweep } from './cold-sweep.js';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

const HEAD = [
  'Profile',
  'Strategy',
  'Cold rate',
  'Truth best',
  'Modal (agree)',
  'Best %',
  'Regret max / mean',
  'Invocations',
  'Settled',
];

function row(c: ColdCell, profileShown: boolean, strategyShown: boolean): string[] {
  return [
    profileShown ? c.profile : '',
    strategyShown ? c.strategy : '',
    String(c.coldStartRate),
    String(c.best) + (c.follows ? '' : ' ≠'),
    `${c.modal ?? '-'} (${pct(c.agreement, 0)})`,
    pct(c.bestShare, 0),
    `${pct(c.maxRegret)} / ${pct(c.meanRegret)}`,
    `${c.invocationRatio.toFixed(2)}× (${c.coldInvocationRatio.toFixed(2)}× cold)`,
    pct((c.stops.settled ?? 0) / c.runs, 0),
  ];
}

function rows(s: ColdSweep): string[][] {
  return s.cells.map((c, i) => {
    const previous = s.cells[i - 1];
    const newProfile = previous?.profile !== c.profile;
    return row(c, newProfile, newProfile || previous?.strategy !== c.strategy);
  });
}

function footer(s: ColdSweep): string {
  return (
    `Cold-start sweep: adaptive runs given coldStartRate, ${s.runs} per cell; each run also measures ` +
    `${s.coldSamplesPerSize} cold invocations per size (a new execution environment each) and decides on ` +
    `(1 − rate)·warm + rate·cold. Truth best: the least-regret size of the blended ground truth (≠: the modal ` +
    `choice is another); Invocations: mean per run / the fixed grid's, the cold ones included; ` +
    `${s.seconds.toFixed(1)} s.`
  );
}

export function renderColdTable(s: ColdSweep): string {
  if (s.cells.length === 0) return s.line;
  const table = new Table({ head: HEAD, style: { head: [], border: [] } });
  for (const r of rows(s)) table.push(r);
  return `${table.toString()}\n${footer(s)}\n${s.line}`;
}

export function renderColdMarkdown(s: ColdSweep): string {
  if (s.cells.length === 0) return s.line;
  const lines = [`| ${HEAD.join(' | ')} |`, '|---|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const r of rows(s)) lines.push(`| ${r.join(' | ')} |`);
  return `${lines.join('\n')}\n\n\`\`\`\n${s.line}\n\`\`\``;
}
