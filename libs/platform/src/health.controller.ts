import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { PrismaService } from '@app/database';
import { KafkaRuntime } from '@app/kafka';

type Check = 'up' | 'down';

@ApiTags('ops')
@Controller()
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly kafka: KafkaRuntime,
  ) {}

  /** 200 when the database and Kafka both answer, 503 naming the one that does not. */
  @Get('health')
  async health(@Res() reply: FastifyReply): Promise<void> {
    const [db, kafka] = await Promise.all([probe(() => this.prisma.ping()), probe(() => this.kafka.ping())]);
    const ok = db === 'up' && kafka === 'up';
    void reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'down', db, kafka });
  }
}

async function probe(check: () => Promise<void>): Promise<Check> {
  try {
    await check();
    return 'up';
  } catch {
    return 'down';
  }
}
