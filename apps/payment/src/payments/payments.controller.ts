import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Roles } from '@app/platform';
import { ListPaymentsQuery, PaymentList } from './dto/list-payments.query';
import { PaymentsService } from './payments.service';

@ApiTags('payments')
@Roles('operator')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  @ApiOkResponse({ standardSchema: PaymentList, description: "The order's payments (empty until the stock is reserved and paid)." })
  @ApiErrors(400, 503)
  list(@Query({ schema: ListPaymentsQuery }) { orderId }: ListPaymentsQuery): Promise<PaymentList> {
    return this.payments.list(orderId);
  }
}
