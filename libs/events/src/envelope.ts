import { z } from 'zod';
import { Topic } from './topic';
import { PayloadOf } from './event-map';
import { newId } from './ids';
import { uuid } from './contracts/common';

/**
 * What travels on every topic, as plain JSON any client can read (kcat, Java…).
 * eventId is the idempotency key; correlationId ties a whole saga (or claim) together;
 * causationId is the eventId of the event that caused this one; actor is the authenticated subject
 * whose request started the flow (a user's id, an operator's name), inherited along it, or null
 * for flows no one asked for (a timer, an older producer).
 */
export interface Envelope<T extends Topic = Topic> {
  eventId: string;
  type: T;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  actor: string | null;
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
  // absent in messages of producers older than the field
  actor: z.string().min(1).max(64).nullable().default(null),
  producer: z.string().min(1).max(32),
  payload: z.unknown(),
});

export interface EnvelopeMeta {
  producer: string;
  correlationId?: string;
  /** Who started the flow (the authenticated subject), for a new flow. */
  actor?: string | null;
  /** The event this one reacts to: correlation, causation and actor are taken from it. */
  cause?: Pick<Envelope, 'eventId' | 'correlationId' | 'actor'>;
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
    actor: (meta.cause ? meta.cause.actor : meta.actor) ?? null,
    producer: meta.producer,
    payload,
  };
}
