import { Controller } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { OnEvent } from '@app/kafka';
import { PaymentsService } from './payments.service';

@Controller()
export class PaymentsConsumer {
  constructor(private readonly payments: PaymentsService) {}

  @OnEvent(Topic.StockReserved)
  async stockReserved(event: Envelope<Topic.StockReserved>): Promise<void> {
    await this.payments.pay(event);
  }
}
