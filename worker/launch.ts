/**
 * What the worker's process must be started with: settings read only when a process starts, so
 * they belong to its launch (the Dockerfile's ENV, infra/cluster's compiled workers, the
 * benchmark's compiled worker), not to its code. test/cluster/compose-versions.test.ts checks that
 * the Dockerfile sets them. worker/heap.ts sets what can still be set once the process runs.
 */

/**
 * glibc's malloc gives each thread that allocates an arena of its own (up to 8 per core), and an
 * arena keeps much of what was freed in it. The worker has some twenty threads (Temporal's core,
 * libuv's pool, V8's helpers, the workflow thread): with two arenas its peak with 20 concurrent
 * tunings (bench scenario 4) was 25–40 MB lower, for the same CPU time.
 */
export const WORKER_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
