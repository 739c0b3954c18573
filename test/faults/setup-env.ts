// The test's own kafkajs clients get the request-queue fix the apps have (no 1 ms timer loop).
import '../../libs/kafka/src/request-queue-fix';

// Fault scenarios run minutes (apps start as processes, a broker restart takes ~20 s here):
// each test gives its own limit; this one covers hooks.
jest.setTimeout(10 * 60_000);
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
