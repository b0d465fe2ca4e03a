/**
 * docker-compose.yml and the Dockerfile describe what the native cluster tests run (no container
 * engine runs here, so the files are read, not run): the same server, admin tools, UI and
 * PostgreSQL major versions as infra/cluster/versions.ts, no deprecated image, health checks, the
 * tunings' search attributes, and a worker image that runs compiled JavaScript on the Node LTS
 * the CI uses, as a non-root user.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TUNING_SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { PROJECT_ROOT } from '../../infra/paths.js';
import { POSTGRES_MAJOR, TEMPORAL_SERVER_VERSION, UI_SERVER_VERSION } from '../../infra/cluster/versions.js';
import { WORKER_ENVIRONMENT } from '../../worker/launch.js';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const compose = read('docker-compose.yml');
const dockerfile = read('Dockerfile');

/** service name → its block of lines (top-level keys under `services:` are indented by two). */
function services(text: string): Map<string, string> {
  const body = text.split(/^services:\n/m)[1]?.split(/^\S/m)[0] ?? '';
  const out = new Map<string, string>();
  for (const block of body.split(/^(?= {2}[\w-]+:\s*$)/m)) {
    const name = /^ {2}([\w-]+):/.exec(block)?.[1];
    if (name) out.set(name, block);
  }
  return out;
}

const SERVICES = services(compose);
const imageOf = (service: string) => /^\s+image:\s*(\S+)/m.exec(SERVICES.get(service) ?? '')?.[1];

describe('docker-compose.yml matches the tested cluster', () => {
  it('pins the server, admin tools, UI and PostgreSQL versions of infra/cluster/versions.ts', () => {
    assert.equal(imageOf('temporal'), `temporalio/server:${TEMPORAL_SERVER_VERSION}`);
    assert.equal(imageOf('temporal-schema'), `temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
    assert.equal(imageOf('temporal-setup'), `temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
    assert.equal(imageOf('temporal-ui'), `temporalio/ui:${UI_SERVER_VERSION}`);
    assert.match(imageOf('postgresql') ?? '', new RegExp(`^postgres:${POSTGRES_MAJOR}\\.\\d+(-[a-z]+)?$`));
  });

  it('pins every image by version and uses no deprecated one', () => {
    const images = [...compose.matchAll(/^\s+image:\s*(\S+)/gm)].map((m) => m[1] as string);
    assert.ok(images.length >= 5, `images found: ${images.join(', ')}`);
    for (const image of images) {
      assert.match(image, /:\d+(\.\d+)+(-[\w.]+)?$/, `${image} is pinned to a version`);
      assert.doesNotMatch(
        image,
        /auto-setup/,
        `${image}: temporalio/auto-setup is deprecated and no longer built`,
      );
    }
  });

  it('sets up the schema with a one-shot admin-tools job before the server starts', () => {
    const schema = SERVICES.get('temporal-schema') ?? '';
    assert.match(schema, /temporal-sql-tool/);
    assert.match(schema, /update-schema --schema-name/);
    assert.match(
      SERVICES.get('temporal') ?? '',
      /temporal-schema:\s+condition: service_completed_successfully/,
    );
  });

  it('health-checks the long-running services', () => {
    for (const service of ['postgresql', 'temporal', 'temporal-ui']) {
      assert.match(SERVICES.get(service) ?? '', /^\s+healthcheck:\s*$/m, `${service} has a health check`);
    }
  });

  it('registers exactly the search attributes of domain/search-attributes.ts', () => {
    const listed = /for attr in ([^;]+);/
      .exec(SERVICES.get('temporal-setup') ?? '')?.[1]
      ?.trim()
      .split(/\s+/);
    assert.deepEqual(
      listed,
      TUNING_SEARCH_ATTRIBUTES.map((a) => `${a.name}=${a.cliType}`),
    );
  });
});

describe('the worker image', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages.at(-1) ?? '';

  it('runs on the Node LTS the CI runs the tests on', () => {
    const ciNode = /^NODE_LTS_VERSION=(\S+)$/m.exec(read('.ci/run'))?.[1];
    assert.ok(ciNode, '.ci/run pins NODE_LTS_VERSION');
    assert.ok([22, 24].includes(Number(ciNode.split('.')[0])), `${ciNode} is a supported LTS`);
    for (const stage of stages)
      assert.match(stage, new RegExp(`^node:${ciNode.replaceAll('.', '\\.')}-bookworm-slim\\b`));
  });

  it('runs as a non-root user', () => {
    const user = [...final.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
    assert.ok(user && !['root', '0'].includes(user), `final stage USER: ${user}`);
  });

  it("starts compiled JavaScript with node: tsconfig.build.json's worker entry in its output folder", () => {
    const cmd = JSON.parse(/^CMD\s+(\[.*\])\s*$/m.exec(final)?.[1] ?? 'null') as string[] | null;
    assert.doesNotMatch(final, /^ENTRYPOINT/m);
    const build = JSON.parse(read('tsconfig.build.json')) as {
      compilerOptions: { outDir: string };
      files: string[];
    };
    assert.ok(build.files.includes('worker/main.ts'));
    assert.deepEqual(cmd, ['node', `${build.compilerOptions.outDir}/worker/main.js`]);
    assert.match(dockerfile, /RUN npx tsc -p tsconfig\.build\.json/);
  });

  it("sets the worker's start-up environment of worker/launch.ts", () => {
    for (const [name, value] of Object.entries(WORKER_ENVIRONMENT)) {
      assert.match(final, new RegExp(`^ENV ${name}=${value}$`, 'm'), `ENV ${name}=${value}`);
    }
  });
});
