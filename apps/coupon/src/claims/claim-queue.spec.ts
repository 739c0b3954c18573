import { Logger } from '@nestjs/common';
import { Envelope, Topic } from '@app/events';
import { EventProducer } from '@app/kafka';
import { QueuedClaim } from './claim-decision';
import { ClaimQueue } from './claim-queue';
import { ClaimsRepository } from './claims.repository';

type Repo = Pick<ClaimsRepository, 'insertPending' | 'withdrawUnpublished' | 'markPublished'>;

/** The claim rows the accept side writes; `hold` makes the withdrawal skip rows (locked elsewhere). */
class Claims implements Repo {
  readonly pending = new Map<string, { published: boolean }>();
  readonly held = new Set<string>();
  insertFails = false;
  withdrawFails = false;
  markFails = false;
  marks = 0;

  async insertPending(claims: QueuedClaim[]): Promise<void> {
    if (this.insertFails) throw new Error('database unavailable');
    for (const c of claims) this.pending.set(c.claimId, { published: false });
  }

  async withdrawUnpublished(ids: string[]): Promise<Set<string>> {
    if (this.withdrawFails) throw new Error('database unavailable');
    const withdrawn = ids.filter((id) => this.pending.get(id)?.published === false && !this.held.has(id));
    for (const id of withdrawn) this.pending.delete(id);
    return new Set(withdrawn);
  }

  async markPublished(ids: string[]): Promise<void> {
    this.marks++;
    if (this.markFails) throw new Error('database unavailable');
    for (const id of ids) {
      const row = this.pending.get(id);
      if (row) row.published = true;
    }
  }

  get unpublished(): string[] {
    return [...this.pending].filter(([, r]) => !r.published).map(([id]) => id);
  }
}

class Broker implements Pick<EventProducer, 'publish'> {
  readonly sent: Envelope[] = [];
  failing = false;
  async publish(envelopes: Envelope[]): Promise<void> {
    if (this.failing) throw new Error('broker unavailable');
    this.sent.push(...envelopes);
  }
}

function setup(ageMs = 10_000) {
  const repo = new Claims();
  const broker = new Broker();
  return { sut: new ClaimQueue(repo, broker, { COUPON_REAPER_AGE_MS: ageMs }), repo, broker };
}

const claim = (n: number): QueuedClaim => ({ claimId: `c-${n}`, couponId: 1, userId: n });
const settle = (p: Promise<void>) => p.then(() => 'accepted', (e: Error) => `refused: ${e.message}`);

beforeAll(() => Logger.overrideLogger(false));

describe('ClaimQueue', () => {
  it('accepts once the broker acknowledged, then marks the claims published (the reaper leaves them alone)', async () => {
    const { sut, repo, broker } = setup();
    const claims = [1, 2, 3].map(claim);
    expect(await Promise.all(claims.map((c) => settle(sut.enqueue(c))))).toEqual(['accepted', 'accepted', 'accepted']);
    expect(broker.sent.map((e) => [e.type, e.correlationId])).toEqual(claims.map((c) => [Topic.CouponClaimRequested, c.claimId]));
    await sut.beforeApplicationShutdown();
    expect(repo.unpublished).toEqual([]);
  });

  it('marks late (a quarter of the reaper age, 1 s at most), the whole group in one UPDATE', async () => {
    const { sut, repo } = setup(400);
    await Promise.all([1, 2, 3, 4].map((n) => sut.enqueue(claim(n))));
    expect(repo.marks).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(repo.marks).toBe(1);
    expect(repo.unpublished).toEqual([]);
  });

  it('refuses (503) and withdraws every claim when the send fails and the withdrawal succeeds', async () => {
    const { sut, repo, broker } = setup();
    broker.failing = true;
    expect(await Promise.all([1, 2].map((n) => settle(sut.enqueue(claim(n)))))).toEqual([
      'refused: broker unavailable',
      'refused: broker unavailable',
    ]);
    expect(repo.pending.size).toBe(0);
  });

  it('keeps accepted (202) a claim the withdrawal could not take — a consumer or the reaper holds it', async () => {
    const { sut, repo, broker } = setup();
    broker.failing = true;
    repo.held.add('c-2');
    expect(await Promise.all([1, 2, 3].map((n) => settle(sut.enqueue(claim(n)))))).toEqual([
      'refused: broker unavailable',
      'accepted',
      'refused: broker unavailable',
    ]);
    expect([...repo.pending.keys()]).toEqual(['c-2']);
  });

  it('answers 202 when the withdrawal itself fails: the rows stay, unpublished, for the reaper', async () => {
    const { sut, repo, broker } = setup();
    broker.failing = true;
    repo.withdrawFails = true;
    expect(await Promise.all([1, 2].map((n) => settle(sut.enqueue(claim(n)))))).toEqual(['accepted', 'accepted']);
    await sut.beforeApplicationShutdown();
    expect(repo.unpublished).toEqual(['c-1', 'c-2']);
    expect(repo.marks).toBe(0);
  });

  it('refuses without sending when the insert fails', async () => {
    const { sut, repo, broker } = setup();
    repo.insertFails = true;
    expect(await settle(sut.enqueue(claim(1)))).toBe('refused: database unavailable');
    expect(broker.sent).toHaveLength(0);
  });

  it('still accepts when the published mark fails (the reaper then sends the claim once more)', async () => {
    const { sut, repo } = setup();
    repo.markFails = true;
    expect(await settle(sut.enqueue(claim(1)))).toBe('accepted');
    await sut.beforeApplicationShutdown();
    expect(repo.marks).toBe(1);
    expect(repo.unpublished).toEqual(['c-1']);
  });
});
