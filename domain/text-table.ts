/**
 * A plain-text table with aligned columns, for markdown shown in the Temporal Web UI: its
 * renderer draws markdown tables without cell padding ("MemoryInvocationsErrors"), while a fenced
 * block keeps monospace columns apart in any renderer.
 */
export type Align = 'left' | 'right';

export function textTable(header: string[], rows: string[][], align: Align[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return ['```text', line(header), ...rows.map(line), '```'].join('\n');
}
