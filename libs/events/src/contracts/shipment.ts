import { z } from 'zod';
import { uuid } from './common';

export const ShipmentCompleted = z.object({
  orderId: uuid,
  shipmentId: uuid,
  trackingNumber: z.string().min(1).max(32),
});
export type ShipmentCompleted = z.infer<typeof ShipmentCompleted>;
