import { KafkaMessage } from 'kafkajs';
import { Header } from '@app/events';
import { deadLetterView } from './dead-letter-tail';

describe('deadLetterView', () => {
  it("reads where a dead letter came from and why from its dlq-* headers", () => {
    const message: KafkaMessage = {
      offset: '7',
      key: Buffer.from('k-1'),
      value: Buffer.from('{}'),
      attributes: 0,
      timestamp: String(Date.UTC(2026, 10, 26, 6, 0, 0)),
      headers: {
        [Header.DlqOriginalTopic]: Buffer.from('p.order.created.v1'),
        [Header.DlqOriginalPartition]: Buffer.from('3'),
        [Header.DlqOriginalOffset]: Buffer.from('41'),
        [Header.DlqConsumerGroup]: Buffer.from('stock-service'),
        [Header.DlqErrorCode]: Buffer.from('EVENT.INVALID'),
        [Header.DlqErrorMessage]: [Buffer.from('message is not JSON')],
      },
    };
    expect(deadLetterView(2, message)).toEqual({
      partition: 2,
      offset: '7',
      at: '2026-11-26T06:00:00.000Z',
      key: 'k-1',
      originalTopic: 'p.order.created.v1',
      originalPartition: '3',
      originalOffset: '41',
      consumerGroup: 'stock-service',
      errorCode: 'EVENT.INVALID',
      errorMessage: 'message is not JSON',
      attempts: null,
    });
  });
});
