// The test's own kafkajs clients get the request-queue fix the apps have (no 1 ms timer loop).
import '../libs/kafka/src/request-queue-fix';

// e2e suites talk to a real broker and database: generous per-test and per-hook time limits.
jest.setTimeout(120_000);
// Quiet kafkajs' partitioner notice in test workers.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
