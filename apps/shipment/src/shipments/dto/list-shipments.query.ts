import { z } from 'zod';

export const ListShipmentsQuery = z.strictObject({ orderId: z.uuid() });
export type ListShipmentsQuery = z.infer<typeof ListShipmentsQuery>;
