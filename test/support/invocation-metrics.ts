/**
 * Test data for the volume read from CloudWatch: Lambda's `Invocations` metric of a function,
 * put into an local CloudWatch (moto in server mode) as AWS would record it.
 */
import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

export const DAY_MS = 86_400_000;

/** Records `value` invocations of `functionName`, `daysAgo` days before `now`. */
export function putInvocations(
  cloudwatch: CloudWatchClient,
  functionName: string,
  daysAgo: number,
  value: number,
  now = Date.now(),
): Promise<unknown> {
  return cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/Lambda',
      MetricData: [
        {
          MetricName: 'Invocations',
          Dimensions: [{ Name: 'FunctionName', Value: functionName }],
          Timestamp: new Date(now - daysAgo * DAY_MS),
          Value: value,
          Unit: 'Count',
        },
      ],
    }),
  );
}
