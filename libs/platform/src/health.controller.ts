import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { HealthService } from './health.service';

@ApiTags('ops')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * 200 when every part works, else 503 naming each part that does not. Probes run in parallel,
   * each bounded to 2 s. Body:
   *
   *   {
   *     "status":   "ok" | "starting" | "down",   // starting: Kafka not ready yet, or the consumer never joined its group
   *     "db":       { "status": "up" | "down", "reason"?: string },   // SELECT 1
   *     "broker":   { "status", "reason"? },                          // the Kafka cluster answers
   *     "producer": { "status", "reason"?, "sinceMs"? },              // connected, and not failing since its last send
   *     "outbox":   { "status", "reason"?, "oldestPendingMs": number | null },  // oldest unpublished row younger than OUTBOX_STALE_MS
   *     "consumer": { "status", "reason"?, "state", "pausedPartitions" }       // apps that consume only: joined, nothing paused
   *   }
   */
  @Get('health')
  async check(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.health.check();
    void reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }
}
