import { BaseRpcContext, MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';

/** Where a message came from; the second argument of a consumer method if it wants it. */
export class KafkaEventContext extends BaseRpcContext<[string, number, string]> {}

/** Calls a Nest message handler and waits for its promise or observable. */
export async function invoke(handler: MessageHandler, data: unknown, context?: KafkaEventContext): Promise<void> {
  const result = await handler(data, context);
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}
