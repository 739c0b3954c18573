import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Envelope, newId, Topic } from '@app/events';
import { UnitOfWork } from '@app/database';
import { ShipmentsRepository } from './shipments.repository';

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

  /** prepareShipping for a paid order, at most once per PaymentCompleted. */
  async prepareShipping(e: Envelope<Topic.PaymentCompleted>): Promise<void> {
    const { orderId } = e.payload;
    await this.uow.runOnce(SHIPMENT_CONSUMER, e, async (tx, emit) => {
      const shipment = { id: newId(), orderId, trackingNumber: trackingNumber() };
      await this.shipments.create(tx, shipment);
      emit(Topic.ShipmentCompleted, { orderId, shipmentId: shipment.id, trackingNumber: shipment.trackingNumber });
      this.log.debug(`order ${orderId}: shipped, tracking ${shipment.trackingNumber}`);
    });
  }

  list(orderId: string) {
    return this.shipments.byOrder(orderId);
  }
}
