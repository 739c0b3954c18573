import { ArgumentsHost } from '@nestjs/common';
import { HttpErrorFilter } from './http-error.filter';
import { ValidationError } from './domain-error';

/** Runs the filter on an error and returns what it answered. */
function answer(error: unknown): { status: number; body: Record<string, unknown> } {
  const sent: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    send(body: Record<string, unknown>) {
      sent.body = body;
      return reply;
    },
  };
  new HttpErrorFilter().catch(error, httpHost(reply));
  return sent;
}

/**
 * Nest's ArgumentsHost of an HTTP request answered through `reply`: what the filter reads of it is
 * real, the rest throws. Typed as the interface, so a change to it breaks this file's build.
 */
function httpHost(reply: unknown): ArgumentsHost {
  const unused = (): never => {
    throw new Error('not used by the filter');
  };
  return {
    getType: <T extends string>() => 'http' as T,
    // Nest's own signature: the caller names the response type it expects
    switchToHttp: () => ({ getResponse: <T>() => reply as T, getRequest: unused, getNext: unused }),
    switchToRpc: unused,
    switchToWs: unused,
    getArgs: unused,
    getArgByIndex: unused,
  };
}

describe('HttpErrorFilter', () => {
  it('maps a domain error to its status and stable code', () => {
    expect(answer(new ValidationError('bad body'))).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('answers 503 DEPENDENCY_UNAVAILABLE when the database cannot be reached', () => {
    const poolTimeout = Object.assign(new Error('Transaction API error: Unable to start a transaction in the given time.'), { code: 'P2028' });
    expect(answer(poolTimeout)).toMatchObject({ status: 503, body: { code: 'DEPENDENCY_UNAVAILABLE' } });
  });

  it('answers 500 with an error id for anything unknown', () => {
    const { status, body } = answer(new TypeError('x is undefined'));
    expect(status).toBe(500);
    expect(body).toMatchObject({ code: 'INTERNAL_ERROR', errorId: expect.any(String) });
  });
});
