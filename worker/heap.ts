/**
 * The worker process's garbage-collection policy, applied when this module is evaluated (the
 * worker's first import, before the workflow threads exist). A worker's live data is small
 * (about 50 MB of heap with 20 tunings at full speed, bench scenario 4), but every invocation
 * makes short-lived request and response objects, and V8 lets a heap grow to several times its
 * live size before a full collection: most of the worker's peak memory was garbage.
 */
import v8 from 'node:v8';

/** A full collection once the old generation grows 20% over its live size (V8 picks 1.1–4×). */
export const HEAP_GROWING_PERCENT = 20;
/**
 * Semi-spaces of 2 MB, not up to 16, for the isolates created from now on (the workflow
 * threads). The main thread's young generation is sized when Node starts
 * (`node --max-semi-space-size=2` would shrink it too).
 */
export const THREAD_SEMI_SPACE_MB = 2;

v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
v8.setFlagsFromString(`--max-semi-space-size=${THREAD_SEMI_SPACE_MB}`);
