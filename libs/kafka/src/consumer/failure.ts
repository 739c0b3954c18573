import { EventValidationError } from '@app/events';

/**
 * What a failed handler call means for its message:
 * - poison: it can never succeed (undecodable, fails its contract, or the handler marked the
 *   error permanent): dead-letter it at once;
 * - infrastructure: a dependency is unavailable (database unreachable or connection lost, pool
 *   or lock-wait timeout, deadlock, broker or producer down): never dead-letter it, hold the
 *   partition and retry until the dependency is back;
 * - unknown: anything else: a few retries, then dead-letter.
 */
export type FailureKind = 'poison' | 'infrastructure' | 'unknown';

// Prisma: can't reach / timed out / connection closed / pool timeout / transaction could not
// start or expired (connection lost mid-transaction) / write conflict or deadlock.
const PRISMA_INFRA = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);
// Prisma driver-adapter error kinds that mean "the database is not there (for now)".
const ADAPTER_INFRA = new Set([
  'DatabaseNotReachable',
  'SocketTimeout',
  'TooManyConnections',
  'ConnectionClosed',
  'TransactionWriteConflict',
  'TransactionAlreadyClosed',
]);
// MySQL/MariaDB server and client error numbers, and the mariadb connector's own (45xxx).
const SQL_INFRA = new Set([
  1040, // too many connections
  1053, // server shutdown in progress
  1205, // lock wait timeout
  1213, // deadlock
  1927, // connection killed
  2002, // can't connect (socket)
  2003, // can't connect (tcp)
  2006, // server has gone away
  2013, // lost connection during query
  45001, // connection already closed
  45009, // socket closed unexpectedly
  45012, // connection timeout
  45013, // command on a closed connection
  45019, // socket error
  45026, // socket timeout
  45028, // pool: no connection within acquireTimeout
  45035, // pool: connection closed while being added
  45039, // initial connection timeout
  45042, // ping timeout
]);
const NODE_INFRA = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// kafkajs errors that mean the broker did not answer; our producer's own is KafkaUnavailableError.
const KAFKA_INFRA_NAMES = new Set([
  'KafkaUnavailableError',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
]);

type ErrorLike = {
  name?: string;
  code?: unknown;
  errno?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  permanent?: unknown;
  retriable?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
};

/** Classifies by error classes and the drivers' codes (never by message text). */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof EventValidationError || (error as ErrorLike | null)?.permanent === true) return 'poison';
  return chainOf(error).some(isInfrastructure) ? 'infrastructure' : 'unknown';
}

function isInfrastructure(e: ErrorLike): boolean {
  if (typeof e.code === 'string' && (PRISMA_INFRA.has(e.code) || NODE_INFRA.has(e.code))) return true;
  if (typeof e.kind === 'string' && ADAPTER_INFRA.has(e.kind)) return true;
  for (const n of [e.errno, e.originalCode, e.kind === 'mysql' ? e.code : undefined]) {
    if (n !== undefined && SQL_INFRA.has(Number(n))) return true;
  }
  return typeof e.name === 'string' && KAFKA_INFRA_NAMES.has(e.name);
}

/** The error, its causes and Prisma's wrapped driver-adapter error, outermost first. */
function chainOf(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && chain.length < 10) {
    const e = pending.shift();
    if (e === null || typeof e !== 'object') continue;
    const like = e as ErrorLike;
    chain.push(like);
    pending.push(like.cause, like.meta?.driverAdapterError);
  }
  return chain;
}
