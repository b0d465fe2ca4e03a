/**
 * Lambda's error responses: status code, `X-Amzn-ErrorType` header and a JSON body with
 * `Type` and `message`. The SDK picks its exception class from the header.
 */

export class LambdaError extends Error {
  constructor(
    readonly errorType: string,
    readonly status: number,
    message: string,
    readonly extraBody: Record<string, unknown> = {},
    readonly extraHeaders: Record<string, string> = {},
  ) {
    super(message);
  }

  /** `Service` for 5xx faults, `User` for everything the caller can fix. */
  get faultType(): 'User' | 'Service' {
    return this.status >= 500 ? 'Service' : 'User';
  }

  body(): Record<string, unknown> {
    // ServiceException carries `Message` in AWS's model; the others carry `message`.
    const messageKey = this.errorType === 'ServiceException' ? 'Message' : 'message';
    return { Type: this.faultType, [messageKey]: this.message, ...this.extraBody };
  }
}

export const notFound = (message: string): LambdaError =>
  new LambdaError('ResourceNotFoundException', 404, message);

export const functionNotFound = (arn: string): LambdaError => notFound(`Function not found: ${arn}`);

export const conflict = (message: string): LambdaError =>
  new LambdaError('ResourceConflictException', 409, message);

export const invalidParameter = (message: string): LambdaError =>
  new LambdaError('InvalidParameterValueException', 400, message);

export const invalidContent = (message: string): LambdaError =>
  new LambdaError('InvalidRequestContentException', 400, message);

export const preconditionFailed = (message: string): LambdaError =>
  new LambdaError('PreconditionFailedException', 412, message);

export const validationError = (value: string, member: string, constraint: string): LambdaError =>
  new LambdaError(
    'ValidationException',
    400,
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );

export const tooManyRequests = (reason: string, retryAfterSeconds: number): LambdaError =>
  new LambdaError(
    'TooManyRequestsException',
    429,
    'Rate Exceeded.',
    { Reason: reason },
    { 'Retry-After': String(retryAfterSeconds) },
  );

export const serviceError = (message: string): LambdaError =>
  new LambdaError('ServiceException', 500, message);

export const unknownOperation = (method: string, path: string): LambdaError =>
  new LambdaError('UnknownOperationException', 404, `Unknown operation: ${method} ${path}`);

export const requestTooLarge = (limit: number, operation: string): LambdaError =>
  new LambdaError(
    'RequestTooLargeException',
    413,
    `Request must be smaller than ${limit} bytes for the ${operation} operation`,
  );

/** A request the emulator will not serve at all (browser origin, foreign Host), as AWS's 403. */
export const accessDenied = (message: string): LambdaError =>
  new LambdaError('AccessDeniedException', 403, message);

/** A missing or wrong token, worded like AWS's answer to an unknown access key. */
export const unrecognizedClient = (message: string): LambdaError =>
  new LambdaError('UnrecognizedClientException', 403, message);

export const unsupportedMediaType = (message: string): LambdaError =>
  new LambdaError('UnsupportedMediaTypeException', 415, message);
