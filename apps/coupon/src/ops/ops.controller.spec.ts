import { Admin, GroupDescriptions, KafkaJSConnectionError } from 'kafkajs';
import { DomainError } from '@app/platform';
import { OpsController } from './ops.controller';
import { OpsErrorCode } from './ops.errors';

const PREFIX = 'p.';

/** What GET /ops/consumer-groups asks of kafkajs' Admin, answered for one group with a lag of 3. */
class FakeAdmin implements Pick<Admin, 'connect' | 'disconnect' | 'listGroups' | 'describeGroups' | 'fetchOffsets' | 'fetchTopicOffsets'> {
  disconnected = false;

  constructor(readonly connect: () => Promise<void>) {}

  async disconnect(): Promise<void> {
    this.disconnected = true;
  }

  async listGroups() {
    return { groups: [{ groupId: 'order-service', protocolType: 'consumer' }] };
  }

  async describeGroups(): Promise<GroupDescriptions> {
    return { groups: [{ groupId: 'order-service', state: 'Empty', protocol: '', protocolType: 'consumer', members: [] }] };
  }

  async fetchOffsets() {
    return [{ topic: `${PREFIX}order.created.v1`, partitions: [{ partition: 0, offset: '5', metadata: null }] }];
  }

  async fetchTopicOffsets() {
    return [{ partition: 0, offset: '8', high: '8', low: '0' }];
  }
}

const refused = () => Promise.reject(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
const connects = () => Promise.resolve();
const hangs = () => new Promise<void>(() => undefined);

/** A controller whose kafka.admin() hands out one fake per call, connecting as told. */
function setup(...connectBehaviours: (() => Promise<void>)[]) {
  const admins: FakeAdmin[] = [];
  const kafka = {
    admin: (): Admin => {
      const behaviour = connectBehaviours[admins.length] ?? connects;
      const admin = new FakeAdmin(behaviour);
      admins.push(admin);
      // describeConsumerGroups calls only the methods FakeAdmin implements
      return admin as unknown as Admin;
    },
  };
  return { sut: new OpsController(kafka, { topicPrefix: PREFIX }), admins };
}

async function errorOf(request: Promise<unknown>): Promise<DomainError> {
  const error = await request.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

afterEach(() => jest.useRealTimers());

describe('GET /ops/consumer-groups', () => {
  it('answers 503 KAFKA.UNAVAILABLE when the first connection fails, and connects again on the next request', async () => {
    const { sut, admins } = setup(refused, connects);

    const error = await errorOf(sut.consumerGroups());
    expect({ code: error.code, kind: error.kind }).toEqual({ code: OpsErrorCode.KafkaUnavailable, kind: 'UNAVAILABLE' });
    expect(admins[0].disconnected).toBe(true);

    const view = await sut.consumerGroups();
    expect(admins).toHaveLength(2);
    expect(view.topicPrefix).toBe(PREFIX);
    expect(view.groups.map((g) => [g.groupId, g.totalLag])).toEqual([['order-service', 3]]);
  });

  it('keeps a working connection for later requests', async () => {
    const { sut, admins } = setup(connects);
    await sut.consumerGroups();
    await sut.consumerGroups();
    expect(admins).toHaveLength(1);
    expect(admins[0].disconnected).toBe(false);
    await sut.onModuleDestroy();
    expect(admins[0].disconnected).toBe(true);
  });

  it('answers 503 within the deadline when the broker does not answer, then recovers', async () => {
    jest.useFakeTimers();
    const { sut, admins } = setup(hangs, connects);
    const pending = errorOf(sut.consumerGroups());
    await jest.advanceTimersByTimeAsync(2999);
    expect(admins[0].disconnected).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect((await pending).code).toBe(OpsErrorCode.KafkaUnavailable);
    expect(admins[0].disconnected).toBe(true);
    jest.useRealTimers();
    expect((await sut.consumerGroups()).groups).toHaveLength(1);
  });

  it('leaves an error that is not the broker\'s a 500', async () => {
    const { sut } = setup(() => Promise.reject(new TypeError('a bug')));
    await expect(sut.consumerGroups()).rejects.toThrow(TypeError);
  });
});
