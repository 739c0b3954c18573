import { Body, Controller, Get, HttpCode, Inject, OnModuleDestroy, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Kafka } from 'kafkajs';
import { DeadLetterTail, KAFKA_OPTIONS, KafkaOptions, replayDeadLetters, ReplayResult } from '@app/kafka';
import { ApiErrors, Roles } from '@app/platform';
import { AdminConnection, BROKER_DEADLINE_MS } from './admin-connection';
import { brokerUnavailable, OpsErrorCode } from './ops.errors';
import { DeadLetterList, DeadLettersQuery, ReplayBody } from './dead-letters.dto';

/**
 * The dead-letter topic for people: how many letters it holds, the latest ones with where they came
 * from and why, and the replay of `npm run dlq:replay` (the same function, the same bookkeeping).
 */
@ApiTags('ops')
@Roles('operator')
@Controller('ops/dead-letters')
export class DeadLettersController implements OnModuleDestroy {
  private readonly admin: AdminConnection;
  private readonly tail: DeadLetterTail;
  private readonly groupSuffix: string;

  constructor(
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(KAFKA_OPTIONS) private readonly options: Pick<KafkaOptions, 'topicPrefix' | 'groupId' | 'service'>,
  ) {
    this.admin = new AdminConnection(kafka, BROKER_DEADLINE_MS);
    // the apps' group ids are <service>-service<suffix>; the replayer's follow the CLI's rule
    this.groupSuffix = options.groupId.slice(`${options.service}-service`.length);
    this.tail = new DeadLetterTail(kafka, options.topicPrefix, `ops-dead-letter-view${this.groupSuffix}`);
  }

  /** How many dead letters the topic holds, and the latest ones (newest first). */
  @Get()
  @ApiOkResponse({ standardSchema: DeadLetterList, description: 'The count of the dead-letter topic and its latest letters, with where they came from and why.' })
  @ApiErrors(400, { 503: OpsErrorCode.KafkaUnavailable })
  async list(@Query({ schema: DeadLettersQuery }) query: DeadLettersQuery): Promise<DeadLetterList> {
    const topic = this.tail.topic;
    const count = await this.admin
      .use(async (admin) => {
        if (!(await admin.listTopics()).includes(topic)) return 0;
        const offsets = await admin.fetchTopicOffsets(topic);
        return offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
      })
      .catch(brokerUnavailable);
    return { topic, count, latest: count === 0 ? [] : this.tail.letters(query.limit) };
  }

  /** Puts dead letters back on their topics, each once whatever filters earlier runs used. */
  @Post('replay')
  @HttpCode(200)
  @ApiOkResponse({ standardSchema: ReplayResult, description: 'What this run read, put back (or would, in a dry run), skipped, and found replayed before.' })
  @ApiErrors(400, { 503: OpsErrorCode.KafkaUnavailable })
  replay(@Body({ schema: ReplayBody }) body: ReplayBody): Promise<ReplayResult> {
    return replayDeadLetters({
      kafka: this.kafka,
      topicPrefix: this.options.topicPrefix,
      groupId: `dlq-replayer${this.groupSuffix}`,
      groupSuffix: this.groupSuffix,
      group: body.group,
      topic: body.topic,
      dryRun: body.dryRun,
    }).catch(brokerUnavailable);
  }

  async onModuleDestroy(): Promise<void> {
    await this.tail.stop().catch(() => undefined);
    await this.admin.close();
  }
}
