import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { TUNING_SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { startDevServer, type DevServer } from '../../infra/dev-server.js';
import { isPortOpen } from '../../infra/free-port.js';

// This file starts its own server (not the run's shared one) because it restarts and stops it.
void describe('startDevServer', () => {
  let server: DevServer;

  before(async () => {
    server = await startDevServer({ log: () => undefined });
  });
  after(async () => {
    await server?.stop();
  });

  async function withClient<T>(fn: (client: Client, connection: Connection) => Promise<T>): Promise<T> {
    const connection = await Connection.connect({ address: server.address });
    try {
      return await fn(new Client({ connection, namespace: server.namespace }), connection);
    } finally {
      await connection.close();
    }
  }

  void it('listens on loopback and registers the tuning search attributes', async () => {
    assert.match(server.address, /^127\.0\.0\.1:\d+$/);
    const registered = await withClient(async (_client, connection) => {
      const res = await connection.operatorService.listSearchAttributes({ namespace: server.namespace });
      return res.customAttributes ?? {};
    });
    for (const attr of TUNING_SEARCH_ATTRIBUTES) {
      assert.ok(attr.name in registered, `${attr.name} missing from ${Object.keys(registered).join(', ')}`);
    }
  });

  void it('keeps a started workflow across a restart on the same database file', async () => {
    const workflowId = `infra-restart-${process.pid}`;
    // No worker polls this queue: the run simply stays open, which is all the restart needs.
    await withClient((client) =>
      client.workflow.start('noWorkerForThisType', { taskQueue: 'infra-test-no-worker', workflowId }),
    );
    const pidBefore = server.pid;
    await server.restart();
    assert.notEqual(server.pid, pidBefore);
    const description = await withClient((client) => client.workflow.getHandle(workflowId).describe());
    assert.equal(description.type, 'noWorkerForThisType');
    assert.equal(description.status.name, 'RUNNING');
  });

  void it('frees its port on stop', async () => {
    const port = Number(server.address.split(':')[1]);
    assert.equal(await isPortOpen(port), true);
    await server.stop();
    assert.equal(await isPortOpen(port), false);
  });
});
