/** The architecture sweep's table, terminal and Markdown (its closing line is the sweep's `line`). */
import Table from 'cli-table3';
import type { ArchitectureCell, ArchitectureSweep } from './architecture-sweep.js';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
/** Two decimals, so a difference inside the 1% tolerance shows its sign. */
const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${pct(Math.abs(x), 2)}`;

const HEAD = [
  'Profile',
  'arm64 ×',
  'Strategy',
  'True best',
  'arm64 vs x86_64',
  'Right',
  'Right %',
  'Modal (share)',
  'Regret max / mean',
];

function row(c: ArchitectureCell, profileShown: boolean, factorShown: boolean): string[] {
  const { truth } = c;
  return [
    profileShown ? c.profile : '',
    factorShown ? String(c.speedFactor) : '',
    c.strategy,
    `${truth.best} ${truth[truth.best].power} MB`,
    signed(truth.difference),
    truth.tie ? `${truth.right} (tie)` : truth.right,
    `${pct(c.rightShare, 0)}${c.meets ? '' : ' ✗'}`,
    c.modal === null ? '-' : `${c.modal} (${pct(c.modalShare, 0)})`,
    `${pct(c.maxRegret)} / ${pct(c.meanRegret)}`,
  ];
}

function rows(s: ArchitectureSweep): string[][] {
  return s.cells.map((c, i) => {
    const previous = s.cells[i - 1];
    const newProfile = previous?.profile !== c.profile;
    return row(c, newProfile, newProfile || previous?.speedFactor !== c.speedFactor);
  });
}

function footer(s: ArchitectureSweep): string {
  return (
    `Architecture sweep: architectures ["x86_64","arm64"] on a function on x86_64, ${s.runs} runs per cell; ` +
    `each run tunes both passes in adaptive mode (arm64: durations × the factor, arm64's price) and ` +
    `chooseArchitecture picks. True best: the architecture with the better noise-free optimum on the ` +
    `strategy's metric, and its size; arm64 vs x86_64: arm64's optimum against x86_64's; Right: what a run ` +
    `should pick (tie: within the tolerance, so the function's own x86_64); ✗: right in fewer than ` +
    `${pct(s.target, 0)} of runs; Regret: of the chosen architecture and size against the true best; ` +
    `${s.seconds.toFixed(1)} s.`
  );
}

export function renderArchitectureTable(s: ArchitectureSweep): string {
  if (s.cells.length === 0) return s.line;
  const table = new Table({ head: HEAD, style: { head: [], border: [] } });
  for (const r of rows(s)) table.push(r);
  return `${table.toString()}\n${footer(s)}\n${s.line}`;
}

export function renderArchitectureMarkdown(s: ArchitectureSweep): string {
  if (s.cells.length === 0) return s.line;
  const lines = [`| ${HEAD.join(' | ')} |`, '|---|---:|---|---|---:|---|---:|---|---:|'];
  for (const r of rows(s)) lines.push(`| ${r.join(' | ')} |`);
  return `${lines.join('\n')}\n\n\`\`\`\n${s.line}\n\`\`\``;
}
