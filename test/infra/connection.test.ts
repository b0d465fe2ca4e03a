import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTemporalSettings } from '../../connection/temporal-settings.js';

void describe('loadTemporalSettings', () => {
  let dir: string;
  // Point the config-file lookup at an empty folder so the developer's own ~/.config is never read.
  let base: NodeJS.ProcessEnv;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-conn-'));
    base = { HOME: dir, XDG_CONFIG_HOME: dir };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  void it('defaults to localhost:7233, namespace default and the power-tuning queue', () => {
    const s = loadTemporalSettings(base);
    assert.equal(s.address, 'localhost:7233');
    assert.equal(s.connectionOptions.address, 'localhost:7233');
    assert.equal(s.nativeConnectionOptions.address, 'localhost:7233');
    assert.equal(s.namespace, 'default');
    assert.equal(s.taskQueue, 'power-tuning');
    assert.equal(s.connectionOptions.tls, undefined);
    assert.equal(s.connectionOptions.apiKey, undefined);
  });

  void it('reads address, namespace and task queue from the environment', () => {
    const s = loadTemporalSettings({
      ...base,
      TEMPORAL_ADDRESS: 'temporal.example:7233',
      TEMPORAL_NAMESPACE: 'tuning',
      TEMPORAL_TASK_QUEUE: 'tuning-q',
    });
    assert.equal(s.nativeConnectionOptions.address, 'temporal.example:7233');
    assert.equal(s.namespace, 'tuning');
    assert.equal(s.taskQueue, 'tuning-q');
  });

  void it('an API key turns TLS on for both connection kinds', () => {
    const s = loadTemporalSettings({ ...base, TEMPORAL_API_KEY: 'secret-key' });
    assert.equal(s.connectionOptions.apiKey, 'secret-key');
    assert.equal(s.nativeConnectionOptions.apiKey, 'secret-key');
    assert.equal(s.connectionOptions.tls, true);
    assert.equal(s.nativeConnectionOptions.tls, true);
  });

  void it('loads mTLS certificate, key and CA from file paths', () => {
    const files = { cert: 'client.pem', key: 'client.key', ca: 'ca.pem' };
    for (const [kind, name] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), `${kind}-bytes`);
    const s = loadTemporalSettings({
      ...base,
      TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, files.cert),
      TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(dir, files.key),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, files.ca),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    const tls = s.nativeConnectionOptions.tls;
    assert.ok(tls && typeof tls === 'object', 'tls should be an object');
    assert.equal(Buffer.from(tls.clientCertPair?.crt ?? []).toString(), 'cert-bytes');
    assert.equal(Buffer.from(tls.clientCertPair?.key ?? []).toString(), 'key-bytes');
    assert.equal(Buffer.from(tls.serverRootCACertificate ?? []).toString(), 'ca-bytes');
    assert.equal(tls.serverNameOverride, 'temporal.internal');
    assert.deepEqual(s.connectionOptions.tls, tls);
  });

  void it('uses the profile selected by TEMPORAL_PROFILE, with env variables taking precedence', () => {
    const file = path.join(dir, 'temporal.toml');
    fs.writeFileSync(
      file,
      [
        '[profile.default]',
        'address = "default-host:7233"',
        '[profile.prod]',
        'address = "prod-host:7233"',
        'namespace = "prod-ns"',
        'api_key = "prod-key"',
      ].join('\n'),
    );
    const prod = loadTemporalSettings({ ...base, TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
    assert.equal(prod.address, 'prod-host:7233');
    assert.equal(prod.namespace, 'prod-ns');
    assert.equal(prod.connectionOptions.apiKey, 'prod-key');
    const overridden = loadTemporalSettings({
      ...base,
      TEMPORAL_CONFIG_FILE: file,
      TEMPORAL_PROFILE: 'prod',
      TEMPORAL_NAMESPACE: 'env-ns',
    });
    assert.equal(overridden.namespace, 'env-ns');
    assert.equal(loadTemporalSettings({ ...base, TEMPORAL_CONFIG_FILE: file }).address, 'default-host:7233');
  });

  void it('names the variable when a configured file is missing or mTLS is half configured', () => {
    assert.throws(
      () => loadTemporalSettings({ ...base, TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'nope.pem') }),
      /TEMPORAL_TLS_SERVER_CA_CERT_PATH: file .*nope\.pem/,
    );
    fs.writeFileSync(path.join(dir, 'only-cert.pem'), 'x');
    assert.throws(
      () => loadTemporalSettings({ ...base, TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'only-cert.pem') }),
      /TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
    assert.throws(() => loadTemporalSettings({ ...base, TEMPORAL_TLS: 'yes' }), /TEMPORAL_TLS: expected/);
    assert.throws(() => loadTemporalSettings({ ...base, TEMPORAL_PROFILE: 'missing' }), /missing/);
  });
});
