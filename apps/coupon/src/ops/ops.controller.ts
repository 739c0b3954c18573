import { Controller, Get, Inject, OnModuleDestroy } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Admin, Kafka } from 'kafkajs';
import { describeConsumerGroups, GroupView, KAFKA_OPTIONS, KafkaOptions } from '@app/kafka';

@ApiTags('ops')
@Controller('ops')
export class OpsController implements OnModuleDestroy {
  private admin?: Promise<Admin>;

  constructor(
    private readonly kafka: Kafka,
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaOptions,
  ) {}

  /** Every consumer group on this stack's topics: members, partition assignment, offsets, lag. */
  @Get('consumer-groups')
  async consumerGroups(): Promise<{ topicPrefix: string; groups: GroupView[] }> {
    const groups = await describeConsumerGroups(await this.connect(), this.options.topicPrefix);
    return { topicPrefix: this.options.topicPrefix, groups };
  }

  // Connected on first use: most instances never serve this page.
  private connect(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.admin;
  }

  async onModuleDestroy(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await (await admin).disconnect();
  }
}
