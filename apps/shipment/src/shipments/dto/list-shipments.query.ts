import { z } from 'zod';

export const ListShipmentsQuery = z.strictObject({ orderId: z.uuid() });
export type ListShipmentsQuery = z.infer<typeof ListShipmentsQuery>;

/** A shipment of a paid order, with its tracking number. */
export const ShipmentView = z.object({
  id: z.uuid(),
  orderId: z.guid(),
  trackingNumber: z.string().describe('TRK- and 12 hex digits'),
  createdAt: z.iso.datetime(),
});
export type ShipmentView = z.infer<typeof ShipmentView>;

/** GET /shipments: the order's shipments, oldest first (at most one: an order ships once). */
export const ShipmentList = z.array(ShipmentView);
export type ShipmentList = z.infer<typeof ShipmentList>;
