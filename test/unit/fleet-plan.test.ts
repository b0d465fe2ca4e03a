/** Selection, grouping and the concurrency plan of a fleet (domain/fleet-plan.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FLEET_CHILDREN_PER_RUN,
  childWorkflowId,
  describeSelection,
  groupOf,
  isSelected,
  planFleet,
  remainingMembers,
  shouldHandOver,
  uniqueMembers,
} from '../../domain/fleet-plan.js';
import type { FleetFunctionResult, FleetMember } from '../../domain/fleet-types.js';

function member(
  name: string,
  region = 'us-east-1',
  accountId = '111111111111',
  memorySize = 128,
): FleetMember {
  return {
    functionName: name,
    functionArn: `arn:aws:lambda:${region}:${accountId}:function:${name}`,
    region,
    accountId,
    memorySize,
  };
}

describe('fleet selection', () => {
  it('selects by name prefix, case-sensitively', () => {
    const prefix = { kind: 'prefix', prefix: 'orders-' } as const;
    assert.ok(isSelected({ functionName: 'orders-api' }, prefix));
    assert.ok(!isSelected({ functionName: 'Orders-api' }, prefix));
    assert.ok(!isSelected({ functionName: 'my-orders-api' }, prefix));
  });

  it('selects by tags only when every tag matches exactly', () => {
    const tags = { kind: 'tags', tags: { team: 'orders', env: 'prod' } } as const;
    assert.ok(isSelected({ functionName: 'a', tags: { team: 'orders', env: 'prod', extra: 'x' } }, tags));
    assert.ok(!isSelected({ functionName: 'a', tags: { team: 'orders' } }, tags));
    assert.ok(!isSelected({ functionName: 'a', tags: { team: 'orders', env: 'Prod' } }, tags));
    assert.ok(!isSelected({ functionName: 'a' }, tags));
  });

  it('says what was selected', () => {
    assert.equal(describeSelection({ kind: 'prefix', prefix: 'orders-' }), 'prefix "orders-"');
    assert.equal(
      describeSelection({ kind: 'tags', tags: { team: 'orders', env: 'prod' } }),
      'tags team=orders, env=prod',
    );
    assert.equal(describeSelection({ kind: 'functions', functions: ['a', 'b', 'c'] }), '3 functions');
  });
});

describe('fleet plan', () => {
  it('groups by account and region, each by name, with at most `concurrency` lanes', () => {
    const members = [
      member('c'),
      member('a'),
      member('z', 'eu-west-1'),
      member('b'),
      member('d', 'us-east-1', '222222222222'),
    ];
    const groups = planFleet(members, 2);
    assert.deepEqual(
      groups.map((g) => [g.key, g.members.map((m) => m.functionName), g.lanes]),
      [
        ['111111111111/eu-west-1', ['z'], 1],
        ['111111111111/us-east-1', ['a', 'b', 'c'], 2],
        ['222222222222/us-east-1', ['d'], 1],
      ],
    );
    // Never more lanes than the concurrency, whatever the group's size.
    const big = planFleet(
      Array.from({ length: 30 }, (_, i) => member(`f-${String(i).padStart(2, '0')}`)),
      4,
    );
    assert.equal(big.length, 1);
    assert.equal(big[0]?.lanes, 4);
    assert.equal(groupOf(member('x', 'ap-south-1', '333333333333')), '333333333333/ap-south-1');
  });

  it('merges a function listed twice (by name and by ARN)', () => {
    const twice = [member('b'), member('a'), member('b')];
    assert.deepEqual(
      uniqueMembers(twice).map((m) => m.functionName),
      ['a', 'b'],
    );
  });

  it('derives each child id from the fleet id and the function alone', () => {
    const a = member('orders-api');
    assert.equal(childWorkflowId('fleet-1', a), 'fleet-1--orders-api--us-east-1--111111111111');
    assert.equal(childWorkflowId('fleet-1', a), childWorkflowId('fleet-1', { ...a }));
    const ids = new Set(
      [a, member('orders-api', 'eu-west-1'), member('orders-api', 'us-east-1', '222222222222')].map((m) =>
        childWorkflowId('fleet-1', m),
      ),
    );
    assert.equal(ids.size, 3, 'the same name in another region or account is another child');
    assert.notEqual(childWorkflowId('fleet-2', a), childWorkflowId('fleet-1', a));
  });

  it('hands over to a new run after a bounded number of children, or when the server suggests it', () => {
    assert.equal(shouldHandOver(0, false), false);
    assert.equal(shouldHandOver(FLEET_CHILDREN_PER_RUN - 1, false), false);
    assert.equal(shouldHandOver(FLEET_CHILDREN_PER_RUN, false), true);
    assert.equal(shouldHandOver(3, true), true);
  });

  it('leaves out the functions an earlier run finished', () => {
    const members = [member('a'), member('b'), member('c')];
    const done = [{ functionArn: member('b').functionArn } as FleetFunctionResult];
    assert.deepEqual(
      remainingMembers({ members, done }).map((m) => m.functionName),
      ['a', 'c'],
    );
  });
});
