import { Topic, DEAD_LETTER_TOPIC } from '@app/events';
import { logicalTopic, partitionsOf, replicationOf, topicName } from './topics';

describe('replicationOf', () => {
  it.each([
    [1, { replicationFactor: 1, minInsyncReplicas: 1 }],
    [2, { replicationFactor: 2, minInsyncReplicas: 1 }],
    [3, { replicationFactor: 3, minInsyncReplicas: 2 }],
    [5, { replicationFactor: 3, minInsyncReplicas: 2 }],
  ])('on %i broker(s): %o', (brokers, expected) => {
    expect(replicationOf(brokers)).toEqual(expected);
  });

  it('never asks for more in-sync copies than a partition has, so one broker down still takes writes', () => {
    for (let brokers = 1; brokers <= 9; brokers++) {
      const r = replicationOf(brokers);
      expect(r.minInsyncReplicas).toBeLessThanOrEqual(r.replicationFactor);
      if (brokers >= 3) expect(r.replicationFactor - r.minInsyncReplicas).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('topic names and partitions', () => {
  it('prefixes and un-prefixes', () => {
    expect(topicName('t1.', Topic.OrderCreated)).toBe(`t1.${Topic.OrderCreated}`);
    expect(logicalTopic('t1.', `t1.${Topic.OrderCreated}`)).toBe(Topic.OrderCreated);
    expect(logicalTopic('t1.', `t2.${Topic.OrderCreated}`)).toBeUndefined();
  });

  it('gives the claim topic its configured partitions, the dead-letter topic one, the saga topics six', () => {
    const layout = { claimPartitions: 12 };
    expect(partitionsOf(Topic.CouponClaimRequested, layout)).toBe(12);
    expect(partitionsOf(DEAD_LETTER_TOPIC, layout)).toBe(1);
    expect(partitionsOf(Topic.OrderCreated, layout)).toBe(6);
  });
});
