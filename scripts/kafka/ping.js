// Exits 0 when the Kafka broker at the given address answers a metadata request.
const { Kafka, logLevel } = require('kafkajs');
const broker = process.argv[2] || '127.0.0.1:9092';
const admin = new Kafka({
  clientId: 'ping',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  retry: { retries: 0 },
}).admin();
// connect() fetches metadata from this broker (the only seed): it answers. (describeCluster() could
// be sent to another broker of a cluster, which may be the one that is down.)
admin
  .connect()
  .then(() => admin.disconnect())
  .then(() => process.exit(0))
  .catch(() => process.exit(1));
