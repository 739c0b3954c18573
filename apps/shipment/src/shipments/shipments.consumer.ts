import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEvent } from '@app/kafka';
import { ShipmentsService } from './shipments.service';

@Controller()
export class ShipmentsConsumer {
  constructor(private readonly shipments: ShipmentsService) {}

  @OnEvent(Topic.PaymentCompleted)
  async paymentCompleted(event: Envelope<Topic.PaymentCompleted>): Promise<void> {
    await this.shipments.prepareShipping(event);
  }
}
