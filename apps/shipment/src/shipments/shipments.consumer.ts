import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEventBatch } from '@app/kafka';
import { ShipmentsService } from './shipments.service';

@Controller()
export class ShipmentsConsumer {
  constructor(private readonly shipments: ShipmentsService) {}

  // The batches in flight are shipped in one transaction (UnitOfWork.runOnceBatch, KafkaEventServer).
  @OnEventBatch(Topic.PaymentCompleted)
  async paymentCompleted(events: Envelope<Topic.PaymentCompleted>[]): Promise<void> {
    await this.shipments.prepareShipping(events);
  }
}
