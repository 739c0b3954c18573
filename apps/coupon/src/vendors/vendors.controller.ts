import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EntityId } from '../common/id.param';
import { CreateVendorBody, SettlementView, VendorView } from './dto/vendor.dto';
import { VendorsService } from './vendors.service';

@ApiTags('vendors')
@Controller('vendors')
export class VendorsController {
  constructor(private readonly vendors: VendorsService) {}

  @Post()
  create(@Body({ schema: CreateVendorBody }) body: CreateVendorBody): Promise<VendorView> {
    return this.vendors.create(body.name);
  }

  @Post('random')
  createRandom(): Promise<VendorView> {
    return this.vendors.create();
  }

  @Get(':id')
  get(@Param('id', { schema: EntityId }) id: number): Promise<VendorView> {
    return this.vendors.get(id);
  }

  @Get(':id/settlement')
  settlement(@Param('id', { schema: EntityId }) id: number): Promise<SettlementView> {
    return this.vendors.settlement(id);
  }
}
