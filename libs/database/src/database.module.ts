import { DynamicModule, Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { OutboxSignal } from './outbox-signal';
import { UnitOfWork } from './unit-of-work';

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  /** The owning service: outbox rows are tagged with it. */
  service: string;
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: PrismaService, useFactory: () => new PrismaService(options.url, options.poolSize) },
        OutboxSignal,
        {
          provide: UnitOfWork,
          inject: [PrismaService, OutboxSignal],
          useFactory: (prisma: PrismaService, signal: OutboxSignal) => new UnitOfWork(prisma, signal, options.service),
        },
      ],
      exports: [PrismaService, OutboxSignal, UnitOfWork],
    };
  }
}
