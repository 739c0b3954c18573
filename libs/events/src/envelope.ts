import { z } from 'zod';
import { Topic } from './topic';
import { PayloadOf } from './event-map';
import { newId } from './ids';
import { uuid } from './contracts/common';

/**
 * What travels on every topic, as plain JSON any client can read (kcat, Java…).
 * eventId is the idempotency key; correlationId ties a whole saga (or claim) together;
 * causationId is the eventId of the event that caused this one.
 */
export interface Envelope<T extends Topic = Topic> {
  eventId: string;
  type: T;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  producer: string;
  payload: PayloadOf<T>;
}

/** One envelope per topic of a union, as a union (so checking `e.type` narrows `e.payload`). */
export type EnvelopeOf<T extends Topic> = T extends unknown ? Envelope<T> : never;

export const EnvelopeSchema = z.object({
  eventId: uuid,
  type: z.enum(Topic),
  occurredAt: z.iso.datetime(),
  correlationId: z.string().min(1).max(64),
  causationId: uuid.nullable(),
  producer: z.string().min(1).max(32),
  payload: z.unknown(),
});

export interface EnvelopeMeta {
  producer: string;
  correlationId?: string;
  /** The event this one reacts to: correlation and causation are taken from it. */
  cause?: Pick<Envelope, 'eventId' | 'correlationId'>;
  occurredAt?: Date;
}

export function createEnvelope<T extends Topic>(type: T, payload: PayloadOf<T>, meta: EnvelopeMeta): Envelope<T> {
  const eventId = newId();
  return {
    eventId,
    type,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    correlationId: meta.cause?.correlationId ?? meta.correlationId ?? eventId,
    causationId: meta.cause?.eventId ?? null,
    producer: meta.producer,
    payload,
  };
}
