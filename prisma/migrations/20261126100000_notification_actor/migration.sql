-- Who started the flow a notification belongs to: the event envelope's actor (the authenticated
-- subject of the request that began the saga or the claim), so the timeline says who did what.

-- AlterTable
ALTER TABLE `notification_notification` ADD COLUMN `actor` VARCHAR(64) NULL;
