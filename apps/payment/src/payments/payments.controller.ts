import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodQuery, ZodValidationPipe } from '@app/platform';
import { ListPaymentsQuery } from './dto/list-payments.query';
import { PaymentsService } from './payments.service';

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  @ApiZodQuery(ListPaymentsQuery)
  list(@Query(new ZodValidationPipe(ListPaymentsQuery, 'query')) { orderId }: ListPaymentsQuery) {
    return this.payments.list(orderId);
  }
}
