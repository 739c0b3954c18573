import { InfraHold, PartitionReleased } from './infra-hold';

const dbDown = () => Object.assign(new Error('pool timeout'), { code: 'P2024' });

function setup(active = () => true) {
  const events: string[] = [];
  const heartbeat = jest.fn(async () => undefined);
  const hold = new InfraHold({
    baseMs: 1,
    capMs: 2,
    heartbeat,
    isActive: active,
    onHold: () => events.push('hold'),
    onResume: () => events.push('resume'),
  });
  return { hold, events, heartbeat };
}

describe('InfraHold', () => {
  it('waits out infrastructure failures, heartbeating, and reports hold and resume once', async () => {
    const { hold, events, heartbeat } = setup();
    let calls = 0;
    const value = await hold.run(async () => {
      if (++calls <= 5) throw dbDown();
      return 'applied';
    });
    expect(value).toBe('applied');
    expect(calls).toBe(6);
    expect(heartbeat).toHaveBeenCalledTimes(5);
    expect(events).toEqual(['hold', 'resume']);
    expect(hold.held).toBe(false);
  });

  it('passes any other failure straight to the caller', async () => {
    const { hold, events } = setup();
    await expect(hold.run(async () => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
    expect(events).toEqual([]);
  });

  it('gives the partition up when the consumer stops while held', async () => {
    let active = true;
    const { hold } = setup(() => active);
    let calls = 0;
    const running = hold.run(async () => {
      if (++calls === 3) active = false;
      throw dbDown();
    });
    await expect(running).rejects.toBeInstanceOf(PartitionReleased);
    expect(calls).toBe(3);
  });

  it('gives the partition up when the heartbeat says the group is rebalancing', async () => {
    const { hold, heartbeat } = setup();
    heartbeat.mockRejectedValueOnce(new Error('REBALANCE_IN_PROGRESS'));
    await expect(hold.run(async () => Promise.reject(dbDown()))).rejects.toBeInstanceOf(PartitionReleased);
  });
});
