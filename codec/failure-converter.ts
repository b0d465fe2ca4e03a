/**
 * The failure converter used with payload encryption: a failure's message and stack trace move
 * into an encoded payload (the codec encrypts it), and history keeps only "Encoded failure".
 * The SDK loads it by path (`failureConverterPath`), in the worker, the clients and inside the
 * workflow bundle, so it must import nothing the workflow sandbox forbids.
 * Which processes use it is decided in data-converter.ts.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
