import { Injectable, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Observable, Subject } from 'rxjs';
import { z } from 'zod';
import { RaceSnapshot, runRace } from '../../coupon/kit/race';
import { NoRaceError, RaceRunningError } from './console.errors';
import { Upstreams } from './upstreams';

/** POST /api/races: who races for which coupon, on which path. */
export const StartRace = z.strictObject({
  couponId: z.number().int().positive().max(2_147_483_647),
  /** New users, one claim each (the page's bound: 20,000). */
  users: z.number().int().min(1).max(20_000),
  path: z.enum(['sync', 'queued', 'mixed']),
});
export type StartRace = z.infer<typeof StartRace>;

/** The console's race: the race's latest snapshot, with the id the console gave it. */
export const RaceView = RaceSnapshot.extend({ id: z.uuid() });
export type RaceView = z.infer<typeof RaceView>;

/**
 * The console's coupon race: one at a time, run here, on the server, by the race of
 * `npm run experiment:coupon` (@app/platform/coupon-race) against the coupon app's public API —
 * never from the browser's tab. Its snapshots go to every page watching (server-sent events).
 */
@Injectable()
export class Races implements OnModuleDestroy {
  private current?: { view: RaceView; abort: AbortController; running: boolean };
  private readonly updates = new Subject<RaceView>();

  constructor(private readonly upstreams: Upstreams) {}

  /** `operatorToken`: the caller's (an operator's) bearer token, which the race acts with. */
  start(body: StartRace, operatorToken: string): RaceView {
    if (this.current?.running) throw new RaceRunningError(this.current.view.id);
    const id = randomUUID();
    const abort = new AbortController();
    const view: RaceView = { id, phase: 'creating users', couponId: body.couponId, path: body.path, users: body.users, usersCreated: 0, cap: 0, issued: 0, elapsedMs: 0, paths: {} };
    const current = { view, abort, running: true };
    this.current = current;
    const publish = (s: RaceSnapshot) => {
      current.view = { ...s, id };
      this.updates.next(current.view);
    };
    void runRace({ base: this.upstreams.urls.coupon, ...body, operatorToken, signal: abort.signal }, publish).then((final) => {
      current.running = false;
      publish(final);
    });
    return view;
  }

  latest(): RaceView {
    if (!this.current) throw new NoRaceError();
    return this.current.view;
  }

  /** The latest race at once (if any), then every snapshot. */
  stream(): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      if (this.current) subscriber.next({ type: 'race', data: this.current.view });
      const sub = this.updates.subscribe({ next: (view) => subscriber.next({ type: 'race', data: view }), complete: () => subscriber.complete() });
      return () => sub.unsubscribe();
    });
  }

  onModuleDestroy(): void {
    this.current?.abort.abort();
    this.updates.complete();
  }
}
