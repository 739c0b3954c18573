import { EventValidationError } from '@app/events';
import { classifyFailure } from './failure';

// Shapes as thrown by Prisma 7 with @prisma/adapter-mariadb, kafkajs and node (recorded here
// against a stopped and a SIGKILLed MariaDB, and a stopped broker).
const prismaRaw = (originalCode: string, kind = 'mysql') =>
  Object.assign(new Error('Raw query failed'), {
    name: 'PrismaClientKnownRequestError',
    code: 'P2010',
    meta: { driverAdapterError: Object.assign(new Error('DriverAdapterError'), { cause: { kind, originalCode, code: Number(originalCode) } }) },
  });

describe('classifyFailure', () => {
  it('calls undecodable messages and permanent domain errors poison', () => {
    expect(classifyFailure(new EventValidationError('bad'))).toBe('poison');
    expect(classifyFailure(Object.assign(new Error('sold out'), { permanent: true }))).toBe('poison');
  });

  it.each([
    ['pool timeout while the server is down', prismaRaw('45028')],
    ['socket closed mid-query', prismaRaw('45009')],
    ['lock wait timeout', prismaRaw('1205')],
    ['deadlock', prismaRaw('1213')],
    ['server gone away', prismaRaw('2006')],
    ['transaction could not start', Object.assign(new Error('Transaction API error'), { code: 'P2028' })],
    ['write conflict', Object.assign(new Error('conflict'), { code: 'P2034' })],
    ['adapter kind', Object.assign(new Error('x'), { cause: { kind: 'DatabaseNotReachable' } })],
    ['node socket error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['broker unavailable (our producer)', Object.assign(new Error('no ack'), { name: 'KafkaUnavailableError' })],
    ['kafkajs connection error', Object.assign(new Error('x'), { name: 'KafkaJSConnectionError' })],
    ['nested cause', new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'P1001' }) })],
  ])('calls %s infrastructure', (_label, error) => {
    expect(classifyFailure(error)).toBe('infrastructure');
  });

  it('calls other database errors and plain errors unknown', () => {
    expect(classifyFailure(prismaRaw('1146', 'TableDoesNotExist'))).toBe('unknown');
    expect(classifyFailure(prismaRaw('1062', 'UniqueConstraintViolation'))).toBe('unknown');
    expect(classifyFailure(new Error('Deadlock found when trying to get lock'))).toBe('unknown');
    expect(classifyFailure(new TypeError('x is undefined'))).toBe('unknown');
    expect(classifyFailure(undefined)).toBe('unknown');
    expect(classifyFailure('text')).toBe('unknown');
  });

  it('does not loop on a cyclic cause chain', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(classifyFailure(a)).toBe('unknown');
  });
});
