-- CreateTable
CREATE TABLE `outbox_event` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `service` VARCHAR(32) NOT NULL,
    `topic` VARCHAR(128) NOT NULL,
    `key` VARCHAR(128) NOT NULL,
    `event_id` CHAR(36) NOT NULL,
    `value` TEXT NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `outbox_event_event_id_key`(`event_id`),
    INDEX `outbox_event_service_id_idx`(`service`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `processed_event` (
    `consumer` VARCHAR(64) NOT NULL,
    `event_id` CHAR(36) NOT NULL,
    `processed_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`consumer`, `event_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `order_order` (
    `id` CHAR(36) NOT NULL,
    `kind` VARCHAR(64) NOT NULL,
    `count` INTEGER NOT NULL,
    `user_id` VARCHAR(64) NULL,
    `status` ENUM('PENDING', 'COMPLETED', 'REJECTED', 'CANCELLED') NOT NULL DEFAULT 'PENDING',
    `reason` VARCHAR(64) NULL,
    `amount` INTEGER NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `order_status_created_idx`(`status`, `created_at`, `id`),
    INDEX `order_kind_created_idx`(`kind`, `created_at`, `id`),
    INDEX `order_user_created_idx`(`user_id`, `created_at`, `id`),
    INDEX `order_created_idx`(`created_at`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `order_history` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `order_id` CHAR(36) NOT NULL,
    `status` ENUM('PENDING', 'COMPLETED', 'REJECTED', 'CANCELLED') NOT NULL,
    `step` VARCHAR(64) NOT NULL,
    `reason` VARCHAR(64) NULL,
    `event_id` CHAR(36) NULL,
    `at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `order_history_order_idx`(`order_id`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stock_product` (
    `sku` VARCHAR(64) NOT NULL,
    `available` INTEGER NOT NULL,
    `reserved` INTEGER NOT NULL DEFAULT 0,
    `price` INTEGER NOT NULL,
    `updated_at` DATETIME(3) NOT NULL,

    PRIMARY KEY (`sku`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stock_reservation` (
    `order_id` CHAR(36) NOT NULL,
    `sku` VARCHAR(64) NOT NULL,
    `count` INTEGER NOT NULL,
    `amount` INTEGER NOT NULL,
    `status` ENUM('RESERVED', 'RELEASED') NOT NULL DEFAULT 'RESERVED',
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `stock_reservation_sku_status_idx`(`sku`, `status`),
    PRIMARY KEY (`order_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `payment_payment` (
    `id` CHAR(36) NOT NULL,
    `order_id` CHAR(36) NOT NULL,
    `amount` INTEGER NOT NULL,
    `status` ENUM('COMPLETED', 'FAILED') NOT NULL,
    `reason` VARCHAR(64) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `payment_order_id_key`(`order_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `shipment_shipment` (
    `id` CHAR(36) NOT NULL,
    `order_id` CHAR(36) NOT NULL,
    `tracking_number` VARCHAR(32) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `shipment_order_id_key`(`order_id`),
    UNIQUE INDEX `shipment_tracking_number_key`(`tracking_number`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `notification_notification` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `event_id` CHAR(36) NOT NULL,
    `topic` VARCHAR(128) NOT NULL,
    `order_id` CHAR(36) NULL,
    `coupon_id` INTEGER NULL,
    `claim_id` CHAR(36) NULL,
    `status` VARCHAR(64) NOT NULL,
    `message` VARCHAR(512) NOT NULL,
    `occurred_at` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `notification_event_id_key`(`event_id`),
    INDEX `notification_order_idx`(`order_id`, `id`),
    INDEX `notification_claim_idx`(`claim_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `coupon_user` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `coupon_vendor` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(64) NOT NULL,
    `balance` BIGINT NOT NULL DEFAULT 0,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `coupon_coupon` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `type` VARCHAR(32) NOT NULL,
    `value` INTEGER NOT NULL,
    `total` INTEGER NOT NULL DEFAULT 100,
    `issued` INTEGER NOT NULL DEFAULT 0,
    `vendor_id` INTEGER NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `coupon_coupon_vendor_idx`(`vendor_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `coupon_user_coupon` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `user_id` INTEGER NOT NULL,
    `coupon_id` INTEGER NOT NULL,
    `claim_id` CHAR(36) NOT NULL,
    `claimed_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `coupon_user_coupon_claim_id_key`(`claim_id`),
    INDEX `coupon_user_coupon_coupon_idx`(`coupon_id`),
    UNIQUE INDEX `coupon_user_coupon_user_coupon_key`(`user_id`, `coupon_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `coupon_claim` (
    `id` CHAR(36) NOT NULL,
    `user_id` INTEGER NOT NULL,
    `coupon_id` INTEGER NOT NULL,
    `path` ENUM('SYNC', 'KAFKA') NOT NULL,
    `status` ENUM('PENDING', 'ISSUED', 'REJECTED') NOT NULL DEFAULT 'PENDING',
    `reason` VARCHAR(32) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `coupon_claim_coupon_status_idx`(`coupon_id`, `status`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `order_history` ADD CONSTRAINT `order_history_order_id_fkey` FOREIGN KEY (`order_id`) REFERENCES `order_order`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `coupon_coupon` ADD CONSTRAINT `coupon_coupon_vendor_id_fkey` FOREIGN KEY (`vendor_id`) REFERENCES `coupon_vendor`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `coupon_user_coupon` ADD CONSTRAINT `coupon_user_coupon_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `coupon_user`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `coupon_user_coupon` ADD CONSTRAINT `coupon_user_coupon_coupon_id_fkey` FOREIGN KEY (`coupon_id`) REFERENCES `coupon_coupon`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
