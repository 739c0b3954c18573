import { z } from 'zod';

/** user: acts for itself (its claims, its coupons, its orders); operator: changes the catalogue and the pipeline. */
export const Role = z.enum(['user', 'operator']);
export type Role = z.infer<typeof Role>;

/** Who a request comes from: the subject and roles of its verified bearer token. */
export interface Principal {
  /** The token's `sub`: a coupon user's id for a user, any name for an operator. */
  subject: string;
  roles: Role[];
}

export const isOperator = (p: Principal): boolean => p.roles.includes('operator');
