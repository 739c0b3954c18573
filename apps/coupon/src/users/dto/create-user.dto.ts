import { z } from 'zod';

export const CreateUserBody = z.strictObject({ name: z.string().trim().min(1).max(64).optional() });
export type CreateUserBody = z.output<typeof CreateUserBody>;

export const UserView = z.object({ id: z.number().int(), name: z.string() });
export type UserView = z.infer<typeof UserView>;
