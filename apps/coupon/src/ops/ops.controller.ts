import { Controller, Get, Inject, OnModuleDestroy } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Kafka, KafkaJSError } from 'kafkajs';
import { describeConsumerGroups, GroupView, KAFKA_OPTIONS, KafkaOptions } from '@app/kafka';
import { AdminConnection, AdminTimeoutError } from './admin-connection';
import { BrokerUnavailableError } from './ops.errors';

/** A request to the broker answers 503 KAFKA.UNAVAILABLE after this long at most. */
const BROKER_DEADLINE_MS = 3000;

@ApiTags('ops')
@Controller('ops')
export class OpsController implements OnModuleDestroy {
  // Connected on first use (most instances never serve this page), again after a failure.
  private readonly admin: AdminConnection;

  constructor(
    @Inject(Kafka) kafka: Pick<Kafka, 'admin'>,
    @Inject(KAFKA_OPTIONS) private readonly options: Pick<KafkaOptions, 'topicPrefix'>,
  ) {
    this.admin = new AdminConnection(kafka, BROKER_DEADLINE_MS);
  }

  /** Every consumer group on this stack's topics: members, partition assignment, offsets, lag. */
  @Get('consumer-groups')
  async consumerGroups(): Promise<{ topicPrefix: string; groups: GroupView[] }> {
    const groups = await this.admin.use((admin) => describeConsumerGroups(admin, this.options.topicPrefix)).catch(unavailable);
    return { topicPrefix: this.options.topicPrefix, groups };
  }

  onModuleDestroy(): Promise<void> {
    return this.admin.close();
  }
}

// kafkajs' own errors (connection refused, retries exhausted, request timed out…) and our
// deadline mean "the broker is not answering"; anything else is a bug and stays a 500.
function unavailable(error: unknown): never {
  if (error instanceof KafkaJSError || error instanceof AdminTimeoutError) throw new BrokerUnavailableError(error);
  throw error;
}
