-- The inbox retention job (libs/database/src/inbox-retention.ts) deletes the oldest rows first,
-- `WHERE processed_at < ? ORDER BY processed_at LIMIT n`: this index lets each batch read only the
-- rows it deletes instead of scanning the table.

-- CreateIndex
CREATE INDEX `processed_event_processed_at_idx` ON `processed_event`(`processed_at`);
