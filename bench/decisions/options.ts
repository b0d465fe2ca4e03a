/** Command-line options of `npm run bench:decisions`. */
import { parseFlags, positiveInt, UsageError } from '../cli-options.js';
import { PROFILES } from './profiles.js';

export interface DecisionOptions {
  runs: number;
  /** Profile names to run (all when none was given). */
  profiles: string[];
  json: boolean;
  markdownFile?: string;
  /** The constraints column's budget: this many times the default validation gives (default 1). */
  constraintBudget: number;
}

export const USAGE = `Usage: npm run bench:decisions -- [options]
  --runs <n>          tunings per profile × strategy × mode (default 20)
  --profile <name>    only this profile; repeatable (default: all)
                      ${PROFILES.map((p) => p.name).join(', ')}
  --constraint-budget <n>
                      the constraints column's budget: n × the default (default 1)
  --markdown <file>   also write the table in Markdown to <file>
  --json              print only the JSON summary on stdout
  -h, --help          this help`;

export const DEFAULT_RUNS = 20;

/** Returns undefined for --help. */
export function parseDecisionArgs(argv: string[]): DecisionOptions | undefined {
  const values = parseFlags(argv, {
    runs: { type: 'string' },
    profile: { type: 'string', multiple: true },
    'constraint-budget': { type: 'string' },
  });
  if (values.help) return undefined;
  const runs = positiveInt('runs', values.runs) ?? DEFAULT_RUNS;
  const known = new Set(PROFILES.map((p) => p.name));
  const profiles = values.profile ?? [];
  for (const name of profiles)
    if (!known.has(name)) throw new UsageError(`unknown --profile ${name}; known: ${[...known].join(', ')}`);
  return {
    runs,
    profiles,
    constraintBudget: positiveInt('constraint-budget', values['constraint-budget']) ?? 1,
    json: values.json,
    ...(values.markdown !== undefined ? { markdownFile: values.markdown } : {}),
  };
}
