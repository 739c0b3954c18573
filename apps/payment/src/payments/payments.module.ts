import { Module } from '@nestjs/common';
import { PaymentsController } from './payments.controller';
import { PaymentsConsumer } from './payments.consumer';
import { PaymentsService } from './payments.service';
import { PaymentsRepository } from './payments.repository';
import { PAYMENT_GATEWAY } from './gateway/payment-gateway';
import { SimulatedPaymentGateway } from './gateway/simulated-payment.gateway';

@Module({
  controllers: [PaymentsController, PaymentsConsumer],
  providers: [PaymentsService, PaymentsRepository, { provide: PAYMENT_GATEWAY, useClass: SimulatedPaymentGateway }],
})
export class PaymentsModule {}
