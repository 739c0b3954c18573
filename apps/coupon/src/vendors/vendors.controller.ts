import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Roles } from '@app/platform';
import { EntityId } from '../common/id.param';
import { CreateVendorBody, SettlementView, VendorView } from './dto/vendor.dto';
import { VendorsService } from './vendors.service';

@ApiTags('vendors')
@Roles('operator')
@Controller('vendors')
export class VendorsController {
  constructor(private readonly vendors: VendorsService) {}

  @Post()
  @ApiCreatedResponse({ standardSchema: VendorView, description: 'The new vendor, balance 0 (a generated name when none is given).' })
  @ApiErrors(400, 503)
  create(@Body({ schema: CreateVendorBody }) body: CreateVendorBody): Promise<VendorView> {
    return this.vendors.create(body.name);
  }

  @Post('random')
  @ApiCreatedResponse({ standardSchema: VendorView, description: 'A new vendor with a generated name, balance 0.' })
  @ApiErrors(503)
  createRandom(): Promise<VendorView> {
    return this.vendors.create();
  }

  @Get(':id')
  @ApiOkResponse({ standardSchema: VendorView, description: 'The vendor and its balance.' })
  @ApiErrors(400, { 404: 'VENDOR_NOT_FOUND' }, 503)
  get(@Param('id', { schema: EntityId }) id: number): Promise<VendorView> {
    return this.vendors.get(id);
  }

  @Get(':id/settlement')
  @ApiOkResponse({ standardSchema: SettlementView, description: "Per coupon, what was handed out and paid, against the vendor's balance." })
  @ApiErrors(400, { 404: 'VENDOR_NOT_FOUND' }, 503)
  settlement(@Param('id', { schema: EntityId }) id: number): Promise<SettlementView> {
    return this.vendors.settlement(id);
  }
}
