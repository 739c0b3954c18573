import { Topic } from './topic';
import { EVENTS } from './event-map';
import { Envelope, EnvelopeSchema } from './envelope';

/** A message that is not a valid event of its topic. It is dead-lettered, never retried. */
export class EventValidationError extends Error {
  override name = 'EventValidationError';
  readonly code = 'EVENT.INVALID';
}

export interface EncodedEvent {
  key: string;
  value: string;
}

/** Validates the payload against its contract and serializes the envelope as JSON. */
export function encodeEvent<T extends Topic>(envelope: Envelope<T>): EncodedEvent {
  const definition = EVENTS[envelope.type];
  const parsed = definition.schema.safeParse(envelope.payload);
  if (!parsed.success) throw invalid(envelope.type, parsed.error.issues);
  const key = (definition.key as (p: unknown) => string)(parsed.data);
  return { key, value: JSON.stringify({ ...envelope, payload: parsed.data }) };
}

/** Parses and validates a consumed message value for the given (logical) topic. */
export function decodeEvent<T extends Topic>(topic: T, value: Buffer | string | null): Envelope<T> {
  if (value === null || value.length === 0) throw new EventValidationError(`${topic}: empty message`);
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    throw new EventValidationError(`${topic}: message is not JSON`);
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) throw invalid(topic, envelope.error.issues, 'envelope');
  if (envelope.data.type !== topic) {
    throw new EventValidationError(`${topic}: envelope type is ${envelope.data.type}`);
  }
  const payload = EVENTS[topic].schema.safeParse(envelope.data.payload);
  if (!payload.success) throw invalid(topic, payload.error.issues);
  return { ...envelope.data, type: topic, payload: payload.data } as Envelope<T>;
}

function invalid(topic: string, issues: { path: PropertyKey[]; message: string }[], part = 'payload') {
  const details = issues.map((i) => `${[part, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
  return new EventValidationError(`${topic}: invalid ${part} (${details})`);
}
