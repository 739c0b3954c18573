import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { HealthReport, HealthService } from './health.service';
import { Public } from './auth/auth.decorators';

@ApiTags('ops')
@Public()
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * 200 when every part works, else 503 naming each part that does not (the same HealthReport).
   * Probes run in parallel, each bounded to 2 s.
   */
  @Get('health')
  @ApiOkResponse({ standardSchema: HealthReport, description: 'Every part is up (status ok).' })
  @ApiServiceUnavailableResponse({ standardSchema: HealthReport, description: 'Starting, or a part is down: the report names it (not an ErrorBody).' })
  async check(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.health.check();
    void reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }
}
