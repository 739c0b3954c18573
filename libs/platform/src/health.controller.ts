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

/** 'up' when the check resolves within timeoutMs (a dead host must not hang /health). */
async function probe(check: () => Promise<void>, timeoutMs = 2000): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Check>((resolve) => {
    timer = setTimeout(() => resolve('down'), timeoutMs);
  });
  try {
    return await Promise.race([check().then((): Check => 'up', (): Check => 'down'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
