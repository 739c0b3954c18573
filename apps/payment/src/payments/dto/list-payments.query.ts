import { z } from 'zod';

export const ListPaymentsQuery = z.strictObject({ orderId: z.uuid() });
export type ListPaymentsQuery = z.infer<typeof ListPaymentsQuery>;
