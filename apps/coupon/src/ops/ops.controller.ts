import { Controller, Get, Inject, OnModuleDestroy } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Kafka } from 'kafkajs';
import { describeConsumerGroups, GroupView, KAFKA_OPTIONS, KafkaOptions } from '@app/kafka';
import { AdminConnection, BROKER_DEADLINE_MS } from './admin-connection';
import { brokerUnavailable } from './ops.errors';

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
    const groups = await this.admin.use((admin) => describeConsumerGroups(admin, this.options.topicPrefix)).catch(brokerUnavailable);
    return { topicPrefix: this.options.topicPrefix, groups };
  }

  onModuleDestroy(): Promise<void> {
    return this.admin.close();
  }
}
