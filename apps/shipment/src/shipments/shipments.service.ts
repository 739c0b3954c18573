import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Envelope, newId, Topic } from '@app/events';
import { UnitOfWork } from '@app/database';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentList } from './dto/list-shipments.query';

export const SHIPMENT_CONSUMER = 'shipment-service';

/** TRK- plus 12 random hex digits (unique index on tracking_number). */
export const trackingNumber = (): string => `TRK-${randomBytes(6).toString('hex').toUpperCase()}`;

@Injectable()
export class ShipmentsService {
  private readonly log = new Logger(ShipmentsService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly shipments: ShipmentsRepository,
  ) {}

  /** prepareShipping for a fetched batch of paid orders, at most once per PaymentCompleted. */
  async prepareShipping(events: Envelope<Topic.PaymentCompleted>[]): Promise<void> {
    await this.uow.runOnceBatch(SHIPMENT_CONSUMER, events, async (tx, fresh, emitFor) => {
      const shipments = fresh.map((e) => ({ id: newId(), orderId: e.payload.orderId, trackingNumber: trackingNumber() }));
      await this.shipments.create(tx, shipments);
      fresh.forEach((e, i) => {
        const s = shipments[i];
        emitFor(e)(Topic.ShipmentCompleted, { orderId: s.orderId, shipmentId: s.id, trackingNumber: s.trackingNumber });
        this.log.debug(`order ${s.orderId}: shipped, tracking ${s.trackingNumber}`);
      });
    });
  }

  async list(orderId: string): Promise<ShipmentList> {
    const shipments = await this.shipments.byOrder(orderId);
    return shipments.map((s) => ({ id: s.id, orderId: s.orderId, trackingNumber: s.trackingNumber, createdAt: s.createdAt.toISOString() }));
  }
}
