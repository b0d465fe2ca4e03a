/**
 * Errors for bad user input. The workflow maps them (by class or by name) to a
 * non-retryable ApplicationFailure of type `InvalidInput`: retrying cannot fix a typo.
 * Also `rootCause`, which finds what went wrong in a chain of failures.
 */

/** One invalid field. Message: `Invalid input "<field>": <problem>. Accepted: <accepted>.` */
export class InputError extends Error {
  readonly field: string;
  readonly problem: string;
  readonly accepted: string;

  constructor(field: string, problem: string, accepted: string) {
    super(`Invalid input "${field}": ${stripFinalDot(problem)}. Accepted: ${stripFinalDot(accepted)}.`);
    this.name = 'InputError';
    this.field = field;
    this.problem = problem;
    this.accepted = accepted;
  }
}

/**
 * Every invalid field of one input at once, one line each, so a user fixes them in one go.
 * It extends InputError so a single `instanceof InputError` check covers both.
 */
export class InputErrors extends InputError {
  readonly errors: readonly InputError[];

  constructor(errors: readonly InputError[]) {
    if (errors.length === 0) throw new Error('InputErrors needs at least one InputError');
    const first = errors[0] as InputError;
    super(first.field, first.problem, first.accepted);
    this.name = 'InputErrors';
    this.errors = errors;
    this.message = errors.map((e) => e.message).join('\n');
  }

  /** The names of the invalid fields, in the order they were found. */
  get fields(): string[] {
    return this.errors.map((e) => e.field);
  }
}

/** True for InputError and InputErrors, also across realms where `instanceof` can fail. */
export function isInputError(value: unknown): value is InputError {
  if (value instanceof InputError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const name = (value as { name?: unknown }).name;
  return (
    (name === 'InputError' || name === 'InputErrors') &&
    typeof (value as { field?: unknown }).field === 'string'
  );
}

/** The list of single-field errors inside an InputError or InputErrors. */
export function inputErrorList(error: InputError): readonly InputError[] {
  return error instanceof InputErrors ? error.errors : [error];
}

/**
 * A reader that runs each validation step, keeps the InputErrors it throws in `errors` and
 * returns undefined for it, so one input reports every bad field at once.
 */
export function inputErrorCollector(errors: InputError[]): <T>(read: () => T) => T | undefined {
  return (read) => {
    try {
      return read();
    } catch (err) {
      if (!isInputError(err)) throw err;
      errors.push(...inputErrorList(err));
      return undefined;
    }
  };
}

/**
 * The innermost error of a `.cause` chain: the one that says what actually went wrong; the outer
 * ones (activity, workflow, child workflow failures) only say where. Pure, so the workflow and the
 * client share it.
 */
export function rootCause(err: unknown): Error {
  let current: unknown = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current : new Error(String(current));
}

function stripFinalDot(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}
