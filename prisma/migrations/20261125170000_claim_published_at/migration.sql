-- The queued claim row is its own outbox entry: `published_at` is set once the broker acknowledged
-- the claim's CouponClaimRequested message; the claim reaper re-sends PENDING claims without it.
-- Claims that are PENDING when this runs have no mark, so the reaper sends each of them once more:
-- harmless, the consumer applies a claim only while it is PENDING.

-- AlterTable
ALTER TABLE `coupon_claim` ADD COLUMN `published_at` DATETIME(3) NULL;

-- CreateIndex
CREATE INDEX `coupon_claim_unpublished_idx` ON `coupon_claim`(`status`, `published_at`, `created_at`, `id`);
