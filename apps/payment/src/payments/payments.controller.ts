import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ListPaymentsQuery } from './dto/list-payments.query';
import { PaymentsService } from './payments.service';

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  list(@Query({ schema: ListPaymentsQuery }) { orderId }: ListPaymentsQuery) {
    return this.payments.list(orderId);
  }
}
