/** Kafka headers this system writes. Dead-letter headers say where a message came from and why. */
export const Header = {
  EventType: 'event-type',
  CorrelationId: 'correlation-id',
  DlqOriginalTopic: 'dlq-original-topic',
  DlqOriginalPartition: 'dlq-original-partition',
  DlqOriginalOffset: 'dlq-original-offset',
  DlqConsumerGroup: 'dlq-consumer-group',
  DlqErrorCode: 'dlq-error-code',
  DlqErrorMessage: 'dlq-error-message',
  DlqAttempts: 'dlq-attempts',
  DlqFailedAt: 'dlq-failed-at',
} as const;
