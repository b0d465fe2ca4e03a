/**
 * The reference the tuner is measured against: a plain script making the same Invoke calls with
 * the same concurrency through `@aws-sdk/client-lambda`, with no Temporal. Run as its own process
 * (`node --import tsx bench/bare-sdk.ts '<plan JSON>'`); prints one JSON line with what it measured.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

export interface BarePlan {
  endpoint: string;
  /** Groups run side by side, like power values; within a group, `concurrency` lanes share `count` calls. */
  groups: { functionName: string; qualifier: string; count: number; concurrency: number }[];
}

export interface BareResult {
  invocations: number;
  errors: number;
  elapsedMs: number;
  /** CPU time of this process during the calls (user + system). */
  cpuMs: number;
  peakRssMb: number;
}

async function run(plan: BarePlan): Promise<BareResult> {
  const lambda = new LambdaClient({
    endpoint: plan.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  let invocations = 0;
  let errors = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    plan.groups.map(async (group) => {
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < group.count) {
          next++;
          const out = await lambda.send(
            new InvokeCommand({
              FunctionName: group.functionName,
              Qualifier: group.qualifier,
              InvocationType: 'RequestResponse',
              LogType: 'Tail',
            }),
          );
          invocations++;
          if (out.FunctionError || !out.LogResult) errors++;
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(group.concurrency, group.count)) }, lane));
    }),
  );
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  lambda.destroy();
  return {
    invocations,
    errors,
    elapsedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const arg = process.argv[2];
if (!arg) {
  console.error("usage: node --import tsx bench/bare-sdk.ts '<plan JSON>'");
  process.exit(2);
}
run(JSON.parse(arg) as BarePlan).then(
  (result) => console.log(JSON.stringify(result)),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
