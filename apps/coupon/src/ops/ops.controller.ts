import { Controller, Get, Inject, OnModuleDestroy } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Kafka } from 'kafkajs';
import { describeConsumerGroups, KAFKA_OPTIONS, KafkaOptions } from '@app/kafka';
import { ApiErrors, Roles } from '@app/platform';
import { AdminConnection, BROKER_DEADLINE_MS } from './admin-connection';
import { ConsumerGroupsView } from './consumer-groups.dto';
import { brokerUnavailable, OpsErrorCode } from './ops.errors';

@ApiTags('ops')
@Roles('operator')
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
  @ApiOkResponse({ standardSchema: ConsumerGroupsView, description: 'Members, partition assignment, committed and end offsets, lag.' })
  @ApiErrors({ 503: OpsErrorCode.KafkaUnavailable })
  async consumerGroups(): Promise<ConsumerGroupsView> {
    const groups = await this.admin.use((admin) => describeConsumerGroups(admin, this.options.topicPrefix)).catch(brokerUnavailable);
    return { topicPrefix: this.options.topicPrefix, groups };
  }

  onModuleDestroy(): Promise<void> {
    return this.admin.close();
  }
}
