import { KafkaMessage } from 'kafkajs';
import { createEnvelope, encodeEvent, EventValidationError, newId, Topic } from '@app/events';
import { decodeBatch } from './decode';

const message = (value: string | null, offset: string): KafkaMessage =>
  ({ key: null, value: value === null ? null : Buffer.from(value), offset, timestamp: '0', attributes: 0, headers: {} }) as KafkaMessage;

describe('decodeBatch', () => {
  it('keeps every message in order, each decoded or with the reason it is poison', () => {
    const valid = createEnvelope(Topic.StockReleased, { orderId: newId(), sku: 'apple', count: 2 }, { producer: 'test' });
    const wrongTopic = createEnvelope(Topic.StockReserved, { orderId: newId(), sku: 'apple', count: 2, amount: 10 }, { producer: 'test' });
    const items = decodeBatch(Topic.StockReleased, [
      message(encodeEvent(valid).value, '0'),
      message('{not json', '1'),
      message(null, '2'),
      message(encodeEvent(wrongTopic).value, '3'),
      message(JSON.stringify({ ...valid, payload: { ...valid.payload, count: -1 } }), '4'),
    ]);
    expect(items.map((i) => i.message.offset)).toEqual(['0', '1', '2', '3', '4']);
    expect(items[0]).toMatchObject({ event: valid });
    for (const item of items.slice(1)) expect('error' in item && item.error).toBeInstanceOf(EventValidationError);
  });
});
