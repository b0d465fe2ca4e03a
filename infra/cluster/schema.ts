/**
 * Creates the two PostgreSQL databases of the Temporal server and brings their schemas to the
 * version the server build embeds, with the SQL tool from the same module (temporal-sql-tool):
 * `create-database` (unless it exists), `setup-schema -v 0.0`, then `update-schema` (a no-op when up
 * to date, a migration after a server upgrade). Safe to run at every start.
 */
import { runCapture } from '../exec.js';
import { SQL_PLUGIN } from './versions.js';

export const MAIN_DATABASE = 'temporal';
export const VISIBILITY_DATABASE = 'temporal_visibility';

/** Database name → embedded schema of the postgres12 plugin. */
export const DATABASES: Record<string, string> = {
  [MAIN_DATABASE]: 'postgresql/v12/temporal',
  [VISIBILITY_DATABASE]: 'postgresql/v12/visibility',
};

export interface SchemaOptions {
  sqlTool: string;
  postgres: { port: number; user: string; password: string };
  log: (msg: string) => void;
}

function run(opts: SchemaOptions, database: string, args: string[]) {
  const connection = ['--plugin', SQL_PLUGIN, '--ep', '127.0.0.1', '-p', String(opts.postgres.port)];
  connection.push('-u', opts.postgres.user, '--db', database);
  // The password goes through the environment, not the command line (visible in `ps`).
  const env = { ...process.env, SQL_PASSWORD: opts.postgres.password };
  return runCapture(opts.sqlTool, [...connection, ...args], { env, timeoutMs: 120_000 });
}

export async function setUpSchemas(opts: SchemaOptions): Promise<void> {
  for (const [database, schema] of Object.entries(DATABASES)) {
    await run(opts, database, ['create-database']).catch((err: Error) => {
      if (!/already exists/.test(err.message)) throw err;
    });
    // Idempotent: creates the versioning tables if missing, never lowers a version already set.
    await run(opts, database, ['setup-schema', '-v', '0.0']);
    await run(opts, database, ['update-schema', '--schema-name', schema]);
    opts.log(`cluster: database ${database} at the schema of the server build (${schema})`);
  }
}
