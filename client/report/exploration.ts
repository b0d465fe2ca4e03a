/**
 * The report's section for a model exploration (absent otherwise): the fitted duration curve
 * with its band over the whole searched range, the measured sizes as dots on it, and the
 * statement. Every word and mark keeps the two apart: the curve is a prediction, the dots and
 * the table are the only measurements.
 */
import { hasAverages } from '../../domain/analysis.js';
import type { ExplorationCurve, TuningOutput } from '../../domain/types.js';
import { formatLevel, formatMs, formatRange } from '../format/units.js';
import { curveChart, type MeasuredMarker } from './curve-chart.js';
import { escapeHtml } from './escape.js';
import { plainTick } from './svg-chart.js';

export function explorationSection(output: TuningOutput): string {
  const report = output.exploration;
  if (!report) return '';
  const { curve } = report;
  const { lowestMb, highestMb } = report.range;
  const level = curve ? formatLevel(curve.level) : '';
  const ciLevel = output.confidence ? `${formatLevel(output.confidence.level)} ` : '';
  const predictedAt = (power: number) => curve?.points.find((p) => p.power === power);
  const points: MeasuredMarker[] = output.results.map((r) => {
    if (!hasAverages(r))
      return {
        x: r.power,
        tooltip: `${r.power} MB, measured: unusable (${r.infeasibleReason ?? 'unknown'})`,
      };
    const interval = r.durationInterval;
    const predicted = predictedAt(r.power);
    const tooltip =
      `${r.power} MB, measured: trimmed mean ${formatMs(r.averageDuration)} ms` +
      (interval ? ` (${ciLevel}CI ${formatRange(interval, formatMs)} ms)` : '') +
      ` over ${r.invocations} invocations` +
      (predicted
        ? `; the curve predicts ${formatMs(predicted.duration)} ms (${level} band ${formatRange(predicted, formatMs)} ms)`
        : '');
    return {
      x: r.power,
      y: r.averageDuration,
      ...(interval ? { errorLow: interval.lower, errorHigh: interval.upper } : {}),
      ...(r.power === output.power ? { highlight: true, label: `★ ${r.power} MB` } : {}),
      tooltip,
    };
  });
  const chart = curveChart({
    id: 'exploration-chart',
    title: `Duration from ${lowestMb} to ${highestMb} MB: fitted curve and measured sizes`,
    xTitle: 'Memory (MB), log scale',
    yTitle: 'Duration (ms), log scale',
    xRange: [lowestMb, highestMb],
    formatY: plainTick,
    curve: (curve?.points ?? []).map((p) => ({ x: p.power, y: p.duration, lower: p.lower, upper: p.upper })),
    curveKey: `predicted (fitted curve, band at ${level} pointwise)`,
    curveTooltip: curve
      ? `Predicted by the fitted curve, not measured: duration ≈ ${formatMs(curve.ioMs)} ms + ${formatMs(curve.cpuMs)} ms ÷ min(memory ÷ 1769 MB, ${curve.parallelism.toFixed(2)}); band at ${level}, pointwise`
      : '',
    points,
    pointKey: 'measured (trimmed mean ± CI)',
    highlightKey: 'recommended',
  });
  const measured = points.filter((p) => p.y !== undefined).length;
  const unusable = points.length - measured;
  return `<section id="exploration">
<h2>Exploration: measured and predicted</h2>
<p class="lead" id="exploration-statement">${escapeHtml(report.statement)}</p>
<figure>${chart}<figcaption class="caption">${escapeHtml(caption(report.range, curve, measured, unusable, output.power !== null))}</figcaption></figure>
</section>

`;
}

function caption(
  range: { lowestMb: number; highestMb: number },
  curve: ExplorationCurve | undefined,
  measured: number,
  unusable: number,
  recommended: boolean,
): string {
  const dots =
    `Dots: the ${measured} measured ${measured === 1 ? 'size' : 'sizes'}${unusable > 0 ? ' that could be used' : ''}, each its trimmed mean with its confidence interval` +
    (recommended ? '; the recommendation (★) is one of them' : '') +
    (unusable === 1 ? '. A cross marks the size measured but unusable' : '') +
    (unusable > 1 ? `. Crosses mark the ${unusable} sizes measured but unusable` : '') +
    '. Only the measured sizes have rows in the table below.' +
    ' Both axes are logarithmic.';
  if (!curve)
    return `No curve: too few sizes could be measured to fit one, so nothing between them is predicted. ${dots}`;
  const [low, high] = curve.plausibleParallelism.map((p) => p.toFixed(2));
  const parallelism = low === high ? `a parallelism of ${low}` : `a parallelism from ${low} to ${high}`;
  return (
    `Dashed line: the duration the fitted curve predicts from ${range.lowestMb} to ${range.highestMb} MB (every 64 MB and at each measured size); ` +
    `shaded: its ${formatLevel(curve.level)} band, pointwise (each size’s band on its own, not all sizes at once). Neither is a measurement. ${dots} ` +
    `The data cannot rule out ${parallelism} threads. Dispersion ${curve.dispersion.toFixed(2)}: 1 when the measured sizes sit around the curve within their own noise; ` +
    'above 1 the curve describes them less well, and the band is widened by it.'
  );
}
