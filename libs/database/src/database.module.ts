import { DynamicModule, Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { OutboxSignal } from './outbox-signal';
import { UnitOfWork } from './unit-of-work';
import { DAY_MS, InboxRetention } from './inbox-retention';

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  /** The owning service: outbox rows are tagged with it. */
  service: string;
  /** INBOX_RETENTION_DAYS: processed_event rows older than this are deleted (default 7). */
  inboxRetentionDays?: number;
}

const DEFAULT_INBOX_RETENTION_DAYS = 7;

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
        {
          // started when the app has booted, stopped before the Prisma client disconnects
          provide: InboxRetention,
          inject: [PrismaService],
          useFactory: (prisma: PrismaService) =>
            new InboxRetention(prisma, { retentionMs: (options.inboxRetentionDays ?? DEFAULT_INBOX_RETENTION_DAYS) * DAY_MS }),
        },
      ],
      exports: [PrismaService, OutboxSignal, UnitOfWork],
    };
  }
}
