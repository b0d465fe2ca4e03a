import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidAliasName } from '../../domain/arn.js';
import {
  aliasName,
  isAnyRunAlias,
  isAnyRunVersionDescription,
  isRunAlias,
  isRunVersionDescription,
  runTag,
  stripRunMarker,
  versionDescription,
} from '../../domain/naming.js';

describe('runTag', () => {
  it('is 8 lowercase hex characters, stable for a run id, different across run ids', () => {
    const tag = runTag('0190d8f2-7b6c-7c3e-9d1a-2b3c4d5e6f70');
    assert.match(tag, /^[0-9a-f]{8}$/);
    assert.equal(runTag('0190d8f2-7b6c-7c3e-9d1a-2b3c4d5e6f70'), tag);
    assert.notEqual(runTag('0190d8f2-7b6c-7c3e-9d1a-2b3c4d5e6f71'), tag);
    // FNV-1a 32-bit reference values.
    assert.equal(runTag(''), '811c9dc5');
    assert.equal(runTag('a'), 'e40c292c');
  });
});

describe('aliasName', () => {
  it('builds per-run names that Lambda accepts (not the user-visible RAM128 of upstream)', () => {
    assert.equal(aliasName('0a1b2c3d', 128), 'ptune-0a1b2c3d-128');
    assert.equal(aliasName('0a1b2c3d', 10240, 999), 'ptune-0a1b2c3d-10240-999');
    assert.equal(isValidAliasName(aliasName('ffffffff', 10240, 99999)), true);
  });

  it('isRunAlias matches only this run’s aliases', () => {
    assert.equal(isRunAlias('ptune-0a1b2c3d-128', '0a1b2c3d'), true);
    assert.equal(isRunAlias('ptune-0a1b2c3d-128-3', '0a1b2c3d'), true);
    assert.equal(isRunAlias('ptune-0a1b2c3e-128', '0a1b2c3d'), false);
    assert.equal(isRunAlias('RAM128', '0a1b2c3d'), false);
    assert.equal(isRunAlias('ptune-0a1b2c3d-live', '0a1b2c3d'), false);
    assert.equal(isRunAlias('ptune-0a1b2c3d-128-', '0a1b2c3d'), false);
  });
});

describe('versionDescription', () => {
  it('starts with a marker naming the run and the power, then the original description', () => {
    assert.equal(versionDescription('0a1b2c3d', 512, 'my fn'), '[power-tuning 0a1b2c3d 512MB] my fn');
    assert.equal(versionDescription('0a1b2c3d', 512, undefined, 2), '[power-tuning 0a1b2c3d 512MB #2]');
    assert.equal(versionDescription('0a1b2c3d', 512, ''), '[power-tuning 0a1b2c3d 512MB]');
  });

  it('stays within 256 characters by cutting the original part (whole characters only)', () => {
    const long = versionDescription('0a1b2c3d', 10240, '😀'.repeat(200), 999);
    assert.ok(long.length <= 256, String(long.length));
    assert.ok(long.startsWith('[power-tuning 0a1b2c3d 10240MB #999] 😀'));
    assert.ok(!/[\ud800-\udbff]$/.test(long), 'no lone high surrogate at the end');
  });

  it('gives each cold-start index its own description (forces a new version)', () => {
    assert.notEqual(versionDescription('t', 128, 'd', 0), versionDescription('t', 128, 'd', 1));
  });

  it('isRunVersionDescription finds only this run’s versions', () => {
    const description = versionDescription('0a1b2c3d', 128, 'x');
    assert.equal(isRunVersionDescription(description, '0a1b2c3d'), true);
    assert.equal(isRunVersionDescription(description, '0a1b2c3e'), false);
    assert.equal(isRunVersionDescription('x - RAM128-0', '0a1b2c3d'), false);
    assert.equal(isRunVersionDescription(undefined, '0a1b2c3d'), false);
  });
});

describe('names of sizes set up on another architecture', () => {
  it('carry the architecture, stay valid aliases, and are found as the run’s', () => {
    assert.equal(aliasName('0a1b2c3d', 512, undefined, 'arm64'), 'ptune-0a1b2c3d-512-arm64');
    assert.equal(aliasName('0a1b2c3d', 512, 3, 'x86_64'), 'ptune-0a1b2c3d-512-x86_64-3');
    assert.equal(isValidAliasName(aliasName('ffffffff', 10240, 99999, 'x86_64')), true);
    assert.equal(isRunAlias('ptune-0a1b2c3d-512-arm64', '0a1b2c3d'), true);
    assert.equal(isRunAlias('ptune-0a1b2c3d-512-arm64-3', '0a1b2c3d'), true);
    assert.equal(isRunAlias('ptune-0a1b2c3d-512-arm64', '0a1b2c3e'), false);
    assert.equal(isRunAlias('ptune-0a1b2c3d-512-sparc', '0a1b2c3d'), false);
    assert.equal(isAnyRunAlias('ptune-0a1b2c3d-512-arm64-3'), true);
    assert.equal(isAnyRunAlias('ptune-0a1b2c3d-512-arm'), false);
  });

  it('version markers carry it too, and the original description is recovered from them', () => {
    const description = versionDescription('0a1b2c3d', 512, 'my fn', 2, 'arm64');
    assert.equal(description, '[power-tuning 0a1b2c3d 512MB arm64 #2] my fn');
    assert.equal(isRunVersionDescription(description, '0a1b2c3d'), true);
    assert.equal(isAnyRunVersionDescription(description), true);
    assert.equal(stripRunMarker(description), 'my fn');
    assert.equal(stripRunMarker(versionDescription('0a1b2c3d', 512, 'my fn')), 'my fn');
    assert.equal(isAnyRunVersionDescription('[power-tuning 0a1b2c3d 512MB sparc] x'), false);
  });
});
