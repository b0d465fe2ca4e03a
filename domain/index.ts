/** The domain: pure rules shared by the workflow, the activities and the client. */
export * from './analysis.js';
export * from './arn.js';
export * from './base64.js';
export * from './describe.js';
export * from './errors.js';
export * from './invocation-error.js';
export * from './limits.js';
export * from './logs.js';
export * from './naming.js';
export * from './payloads.js';
export * from './pricing.js';
export * from './stats.js';
export * from './strategies.js';
export type * from './types.js';
export * from './validate-fields.js';
export * from './validate.js';
export * from './visualization.js';
