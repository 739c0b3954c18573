import { answersWithin, floodAllowance, notIssued, RATE_LIMITED, slowdown, sortFlooderAnswers } from './flood';

describe('floodAllowance', () => {
  it('gives a window of the limit for every second begun, and one more', () => {
    expect(floodAllowance(20, 1.52)).toBe(60);
    expect(floodAllowance(20, 2)).toBe(60);
    expect(floodAllowance(20, 0.3)).toBe(40);
    expect(floodAllowance(5, 0)).toBe(5);
  });
});

describe('sortFlooderAnswers', () => {
  it('counts 429 RATE_LIMITED as refused and every other answer as let through', () => {
    expect(
      sortFlooderAnswers(
        { [RATE_LIMITED]: 9960, '201': 1, '202': 19, '409 COUPON_ALREADY_CLAIMED': 20 },
        3,
      ),
    ).toEqual({ limited: 9960, through: 40, errors: 3 });
    // a 429 without the code is not the claim limit's answer: let through
    expect(sortFlooderAnswers({ '429': 2 }, 0)).toEqual({ limited: 0, through: 2, errors: 0 });
    expect(sortFlooderAnswers({}, 0)).toEqual({ limited: 0, through: 0, errors: 0 });
  });
});

describe('notIssued', () => {
  it('counts every answer but 201, and the requests with none', () => {
    expect(notIssued({ outcomes: { '201': 400 }, errors: 0 })).toBe(0);
    expect(notIssued({ outcomes: { '201': 390, [RATE_LIMITED]: 7, '503 DEPENDENCY_UNAVAILABLE': 1 }, errors: 2 })).toBe(10);
  });
});

describe('answersWithin', () => {
  it('keeps the answers to the requests due within the window, ends included', () => {
    const answers = [
      { dueMs: 100, micros: 1_000, outcome: '201' },
      { dueMs: 200, micros: 5_000, outcome: '201' },
      { dueMs: 250, micros: 9_000, outcome: RATE_LIMITED },
      { dueMs: 300, micros: 7_000, outcome: '201' },
      { dueMs: 301, micros: 99_000, outcome: '201' },
    ];
    const w = answersWithin(answers, 200, 300);
    expect(w.outcomes).toEqual({ '201': 2, [RATE_LIMITED]: 1 });
    expect(w.latencyMs).toMatchObject({ count: 3, p50: 7, max: 9 });
  });

  it('is empty, not NaN, when nothing was due in the window', () => {
    const w = answersWithin([{ dueMs: 1, micros: 10, outcome: '201' }], 5, 6);
    expect(w.latencyMs).toEqual({ p50: 0, p95: 0, p99: 0, max: 0, count: 0 });
    expect(w.outcomes).toEqual({});
  });
});

describe('slowdown', () => {
  it('divides during by alone, 2 decimals; NaN without a baseline', () => {
    expect(slowdown(15, 10)).toBe(1.5);
    expect(slowdown(7.3, 3.1)).toBe(2.35);
    expect(slowdown(5, 0)).toBeNaN();
    expect(slowdown(NaN, 3)).toBeNaN();
  });
});
