/**
 * A logger for `bundleWorkflowCode` that keeps only errors: its webpack progress and warnings are
 * noise wherever a bundle is built ahead of time (the cluster's workers, tests).
 */
const silent = (): void => undefined;

export const quietBundleLogger = {
  log: silent,
  trace: silent,
  debug: silent,
  info: silent,
  warn: silent,
  error: console.error,
};
