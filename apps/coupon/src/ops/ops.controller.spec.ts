import { Admin, Kafka, KafkaJSConnectionError, logLevel } from 'kafkajs';
import { DomainError } from '@app/platform';
import { automockOf } from '../../../../test/automock';
import { OpsController } from './ops.controller';
import { OpsErrorCode } from './ops.errors';

const PREFIX = 'p.';

// kafkajs' Admin is a type, not a class: the doubles take its methods from a real one, never connected
const realAdmin = new Kafka({ brokers: ['127.0.0.1:9'], logLevel: logLevel.NOTHING }).admin();

/** What GET /ops/consumer-groups asks of kafkajs' Admin, answered for one group with a lag of 3. */
function fakeAdmin(connect: () => Promise<void>): jest.Mocked<Admin> {
  const admin = automockOf(realAdmin, 'Admin');
  admin.connect.mockImplementation(connect);
  admin.disconnect.mockResolvedValue(undefined);
  admin.listGroups.mockResolvedValue({ groups: [{ groupId: 'order-service', protocolType: 'consumer' }] });
  admin.describeGroups.mockResolvedValue({ groups: [{ groupId: 'order-service', state: 'Empty', protocol: '', protocolType: 'consumer', members: [] }] });
  admin.fetchOffsets.mockResolvedValue([{ topic: `${PREFIX}order.created.v1`, partitions: [{ partition: 0, offset: '5', metadata: null }] }]);
  admin.fetchTopicOffsets.mockResolvedValue([{ partition: 0, offset: '8', high: '8', low: '0' }]);
  return admin;
}

const refused = () => Promise.reject(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
const connects = () => Promise.resolve();
const hangs = () => new Promise<void>(() => undefined);

/** A controller whose kafka.admin() hands out one fake per call, connecting as told. */
function setup(...connectBehaviours: (() => Promise<void>)[]) {
  const admins: jest.Mocked<Admin>[] = [];
  const kafka = {
    admin: (): Admin => {
      const admin = fakeAdmin(connectBehaviours[admins.length] ?? connects);
      admins.push(admin);
      return admin;
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
    expect(admins[0].disconnect).toHaveBeenCalled();

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
    expect(admins[0].disconnect).not.toHaveBeenCalled();
    await sut.onModuleDestroy();
    expect(admins[0].disconnect).toHaveBeenCalled();
  });

  it('answers 503 within the deadline when the broker does not answer, then recovers', async () => {
    jest.useFakeTimers();
    const { sut, admins } = setup(hangs, connects);
    const pending = errorOf(sut.consumerGroups());
    await jest.advanceTimersByTimeAsync(2999);
    expect(admins[0].disconnect).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect((await pending).code).toBe(OpsErrorCode.KafkaUnavailable);
    expect(admins[0].disconnect).toHaveBeenCalled();
    jest.useRealTimers();
    expect((await sut.consumerGroups()).groups).toHaveLength(1);
  });

  it('leaves an error that is not the broker\'s a 500', async () => {
    const { sut } = setup(() => Promise.reject(new TypeError('a bug')));
    await expect(sut.consumerGroups()).rejects.toThrow(TypeError);
  });
});
