import { Module } from '@nestjs/common';
import { OpsController } from './ops.controller';
import { DeadLettersController } from './dead-letters.controller';

@Module({ controllers: [OpsController, DeadLettersController] })
export class OpsModule {}
