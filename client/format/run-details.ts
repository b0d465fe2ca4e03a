/**
 * What a tuning was asked to do, as markdown for the Web UI's "Details" panel (the workflow's
 * static details), so a run can be read there without the CLI. The payload itself is never
 * shown here: only its kind and size.
 */
import type { TuningConfig } from '../../domain/types.js';
import { boundsText } from './constraints.js';

function payloadText(config: TuningConfig): string {
  if (config.payloadS3) return `from S3: \`${config.payloadS3.uri}\``;
  if (config.disablePayloadLogs) return 'inline (hidden: disablePayloadLogs)';
  if (config.payload.kind === 'weighted') return `${config.payload.entries.length} weighted payloads`;
  return config.payload.body === undefined
    ? 'none (null)'
    : `inline JSON, ${config.payload.body.length} characters`;
}

export function runDetailsMarkdown(config: TuningConfig): string {
  const rows: [string, string][] = [
    ['Function', `\`${config.lambdaARN}\``],
    ['Memory sizes (MB)', config.powerValues.join(', ')],
    ['Invocations per size', config.dryRun ? '1 (dry run)' : String(config.num)],
    [
      'Strategy',
      config.strategy === 'balanced' ? `balanced (weight ${config.balancedWeight})` : config.strategy,
    ],
    [
      'Invocation mode',
      config.parallelInvocation ? `parallel, up to ${config.maxParallelInvocations} at once` : 'serial',
    ],
    ['Payload', payloadText(config)],
    ['Trimmed mean', `drops ${config.discardTopBottom * 100}% fastest and slowest`],
  ];
  if (config.sampling.constraints)
    rows.push([
      'Constraints',
      `${boundsText(config.sampling.constraints)} (the choice must be shown to meet them)`,
    ]);
  if (config.environments > 1)
    rows.push([
      'Environments per size',
      `${config.environments} (each size published ${config.environments} times, its calls shared among them)`,
    ]);
  if (config.onlyColdStarts) rows.push(['Cold starts only', 'yes']);
  if (config.sleepBetweenRunsMs > 0) rows.push(['Pause between runs', `${config.sleepBetweenRunsMs} ms`]);
  if (config.allowedExceptions.length > 0)
    rows.push(['Allowed exceptions', config.allowedExceptions.join(', ')]);
  if (config.autoOptimize) {
    rows.push([
      'Apply the result',
      config.autoOptimizeAlias ? `yes, alias \`${config.autoOptimizeAlias}\`` : 'yes',
    ]);
  }
  // A list, not a table: the Web UI draws markdown tables without cell padding.
  return rows.map(([setting, value]) => `- **${setting}:** ${value}`).join('\n');
}
