/** Exit codes (0 success, 1 tuning failed, 2 bad usage or input) and the errors that carry them. */

export const EXIT_OK = 0;
export const EXIT_TUNING_FAILED = 1;
export const EXIT_USAGE = 2;
/** Ctrl-C while watching (128 + SIGINT), as shells expect. */
export const EXIT_INTERRUPTED = 130;

/** An error that ends the command with a message and a given exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad flags, arguments or input: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}
