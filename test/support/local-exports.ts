/**
 * The variables the local stack prints for another terminal, in order: the cluster script and
 * `powertune demo` print the same set, so a user can follow either with the same commands.
 */
export const LOCAL_STACK_EXPORTS = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'TEMPORAL_UI_URL',
  'AWS_ENDPOINT_URL_LAMBDA',
  'AWS_REGION',
] as const;
