import { newId, UUID_PATTERN } from './ids';

describe('newId', () => {
  it('is a UUID version 7 with the RFC 9562 variant and the time in its first 48 bits', () => {
    const at = Date.UTC(2026, 10, 25, 12, 0, 0);
    const id = newId(at);
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by creation time and does not repeat across many pool refills', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => newId(1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const sameMs = Array.from({ length: 5000 }, () => newId(1_700_000_000_000));
    expect(new Set(sameMs).size).toBe(sameMs.length);
  });
});
