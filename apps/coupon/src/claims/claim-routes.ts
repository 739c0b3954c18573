/** The two claim routes (Nest paths): the controller serves them, the rate limit guards them. */
export const CLAIM_ROUTE = 'coupons/:id/claims';
export const QUEUED_CLAIM_ROUTE = `${CLAIM_ROUTE}/async`;
export const CLAIM_ROUTES = [CLAIM_ROUTE, QUEUED_CLAIM_ROUTE] as const;
