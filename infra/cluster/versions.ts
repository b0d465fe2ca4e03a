/**
 * The versions of the production topology, in one place: the native cluster (`npm run cluster`)
 * builds and runs exactly these, and docker-compose.yml must pin the same ones
 * (test/cluster/compose-versions.test.ts fails when they disagree). Upgrade them here and in the
 * compose file together.
 */

/** go.temporal.io/server: the newest 1.30 release whose go.mod accepts the Go here (1.30.9 and 1.31+ need Go ≥ 1.26.10). */
export const TEMPORAL_SERVER_VERSION = '1.30.8';

/** github.com/temporalio/ui-server/v2: the newest release that builds with Go 1.26.8 (2.56+ need Go ≥ 1.26.10). */
export const UI_SERVER_VERSION = '2.55.0';

/** PostgreSQL major version: Debian 12's server package (postgresql-15) and the compose image postgres:15. */
export const POSTGRES_MAJOR = 15;

/** The SQL plugin of the server and its schema tool for PostgreSQL 12 and later. */
export const SQL_PLUGIN = 'postgres12';

export interface GoProgram {
  /** Name of its cache entry. */
  name: string;
  module: string;
  version: string;
  /** Packages of that module to `go install`; each binary is named after its last path element. */
  packages: readonly string[];
}

export const TEMPORAL_SERVER_PROGRAM: GoProgram = {
  name: 'temporal-server',
  module: 'go.temporal.io/server',
  version: TEMPORAL_SERVER_VERSION,
  // The server, and its SQL schema tool (temporal-sql-tool) from the same release.
  packages: ['go.temporal.io/server/cmd/server', 'go.temporal.io/server/cmd/tools/sql'],
};

export const UI_SERVER_PROGRAM: GoProgram = {
  name: 'ui-server',
  module: 'github.com/temporalio/ui-server/v2',
  version: UI_SERVER_VERSION,
  packages: ['github.com/temporalio/ui-server/v2/cmd/server'],
};

/** The Go programs of the cluster, built once into the project cache. */
export const GO_PROGRAMS: readonly GoProgram[] = [TEMPORAL_SERVER_PROGRAM, UI_SERVER_PROGRAM];
