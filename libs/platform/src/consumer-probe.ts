import { Injectable } from '@nestjs/common';
import { ConsumerHealth, KafkaEventServer } from '@app/kafka';

type Consumer = Pick<KafkaEventServer, 'health' | 'joined'>;

/**
 * Hands the app's consumer transport (created by runApp, outside the DI container) to /health.
 * Empty in an app started without consumers.
 */
@Injectable()
export class ConsumerProbe {
  private server?: Consumer;
  private joinedOnce = false;

  attach(server: Consumer): void {
    this.server = server;
    void server.joined().then(() => (this.joinedOnce = true));
  }

  /** undefined when this process consumes nothing; joinedOnce: the group was joined at least once. */
  health(): (ConsumerHealth & { joinedOnce: boolean }) | undefined {
    return this.server && { ...this.server.health(), joinedOnce: this.joinedOnce };
  }
}
