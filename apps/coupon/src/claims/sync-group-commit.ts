/**
 * The sync path's group commit (use-cases/claim-sync.ts): concurrent sync claims on one coupon share
 * one transaction (one lock of the coupon row): up to 200 per transaction, two transactions per
 * coupon at once (the second one's round trips overlap the first one's commit), no linger — an idle
 * request goes alone at once. Its own file, free of Nest, so the bench's like-for-like limit groups
 * claims by the same rule.
 */
export const SYNC_GROUP_COMMIT = { maxBatch: 200, lingerMs: 0, maxInFlight: 2 } as const;
