/** The report's stylesheet, inlined so the file needs nothing from the network. */
export const REPORT_CSS = `
:root { --fg: #1d2330; --muted: #5b6475; --bg: #ffffff; --card: #f5f7fa; --line: #d9dee7;
  --accent: #2f6fdf; --best: #0f8a5f; --bad: #c0392b; --cold: #b7791f; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e9ef; --muted: #a3abba; --bg: #14171d; --card: #1d2129; --line: #363c48;
    --accent: #7aa7ff; --best: #3ccf91; --bad: #ff7b6b; --cold: #f0b429; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
main { max-width: 1180px; margin: 0 auto; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.meta span { margin-right: 10px; display: inline-block; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; }
.recommendation .headline { font-size: 20px; font-weight: 600; color: var(--best); }
.recommendation .headline.none { color: var(--bad); }
.recommendation .lead { font-size: 16px; margin: 6px 0 0; }
.recommendation ul { margin: 8px 0 0; padding-left: 20px; }
.recommendation .confidence { margin: 10px 0 0; }
.recommendation .settled { color: var(--best); font-weight: 600; }
.recommendation .unsettled { color: var(--bad); font-weight: 600; }
.recommendation .facts { color: var(--muted); margin: 4px 0 0; font-size: 14px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
figure { margin: 0; }
.chart { width: 100%; height: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
.chart .chart-title { font-weight: 600; font-size: 14px; fill: var(--fg); }
.chart .tick, .chart .axis-title { font-size: 11px; fill: var(--muted); }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .axis { stroke: var(--muted); stroke-width: 1; }
.chart .point circle { fill: var(--accent); }
.chart .point.recommended circle { fill: var(--best); stroke: var(--fg); stroke-width: 1.5; }
.chart .point .value { font-size: 11px; fill: var(--fg); }
.chart .range line { stroke: var(--accent); stroke-width: 2; opacity: 0.55; }
.chart .range.band line { stroke-width: 10; opacity: 0.22; }
.chart .error-bar line { stroke: var(--fg); stroke-width: 1.5; }
.chart .point.fails circle { fill: var(--card); stroke: var(--bad); stroke-width: 2; }
.chart .point.uncertain circle { fill: var(--card); stroke: var(--accent); stroke-width: 2; stroke-dasharray: 3 2; }
.chart .fails-band { fill: var(--bad); opacity: 0.09; }
.chart .bound line { stroke: var(--bad); stroke-width: 1.5; stroke-dasharray: 6 4; }
.chart .bound text { font-size: 11px; font-weight: 600; fill: var(--bad); }
.chart .second-point rect, .chart .second-key rect { fill: var(--card); stroke: var(--cold); stroke-width: 2; }
.chart .second-point .value, .chart .second-key text { font-size: 11px; fill: var(--cold); }
.chart .prediction .band, .chart .key-prediction .band { fill: var(--accent); opacity: 0.16; }
.chart .prediction .line, .chart .key-prediction .line { fill: none; stroke: var(--accent); stroke-width: 1.5; stroke-dasharray: 6 4; }
.chart .point.measured circle { stroke: var(--card); stroke-width: 1.5; }
.chart .point.measured.recommended circle { stroke: var(--fg); }
.chart .chart-key text { font-size: 11px; fill: var(--fg); }
.chart .infeasible path { stroke: var(--bad); stroke-width: 2.5; }
.chart .infeasible text { font-size: 11px; fill: var(--bad); }
.caption { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 6px; text-align: right; white-space: nowrap; }
th { background: var(--card); white-space: normal; vertical-align: bottom; }
td.notes, th.notes { text-align: left; white-space: normal; min-width: 120px; }
td.standing, th.standing, td.constraints, th.constraints { text-align: left; }
td.constraints { white-space: normal; min-width: 190px; }
td.constraints.meets { color: var(--best); }
td.constraints.fails { color: var(--bad); }
tr.fails td { background: color-mix(in srgb, var(--bad) 7%, transparent); }
tr.recommended td { font-weight: 600; color: var(--best); }
td small, th small { color: var(--muted); font-weight: normal; font-size: 11px; }
tr.infeasible td { color: var(--bad); }
.table-wrap { overflow-x: auto; }
pre { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; overflow-x: auto; font-size: 13px; }
a { color: var(--accent); }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; }
@media print { body { padding: 0; } .chart, .card, pre { break-inside: avoid; } }
`;
