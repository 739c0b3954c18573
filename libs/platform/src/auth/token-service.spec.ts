import jwt from 'jsonwebtoken';
import { TokenService } from './token-service';

const SECRET = 'a'.repeat(40);
const tokens = new TokenService(SECRET, 60);

describe('TokenService', () => {
  it('verifies what it signed: subject and roles', () => {
    const { token, expiresAt } = tokens.sign({ subject: '12', roles: ['user'] });
    expect(tokens.verify(token)).toEqual({ subject: '12', roles: ['user'] });
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(55_000);
  });

  it.each([
    ['signed with another key', () => new TokenService('b'.repeat(40), 60).sign({ subject: '1', roles: ['operator'] }).token, 'TOKEN_INVALID'],
    ['expired', () => jwt.sign({ roles: ['user'] }, SECRET, { algorithm: 'HS256', issuer: 'commerce-events', audience: 'commerce-events', subject: '1', expiresIn: -10 }), 'TOKEN_EXPIRED'],
    ['unsigned (alg none)', () => jwt.sign({ roles: ['operator'], sub: '1', iss: 'commerce-events', aud: 'commerce-events' }, '', { algorithm: 'none' }), 'TOKEN_INVALID'],
    ['for another audience', () => jwt.sign({ roles: ['user'] }, SECRET, { algorithm: 'HS256', issuer: 'commerce-events', audience: 'elsewhere', subject: '1' }), 'TOKEN_INVALID'],
    ['without an expiry', () => jwt.sign({ roles: ['user'] }, SECRET, { algorithm: 'HS256', issuer: 'commerce-events', audience: 'commerce-events', subject: '1' }), 'TOKEN_INVALID'],
    ['without roles', () => jwt.sign({}, SECRET, { algorithm: 'HS256', issuer: 'commerce-events', audience: 'commerce-events', subject: '1' }), 'TOKEN_INVALID'],
    ['with an unknown role', () => jwt.sign({ roles: ['root'] }, SECRET, { algorithm: 'HS256', issuer: 'commerce-events', audience: 'commerce-events', subject: '1' }), 'TOKEN_INVALID'],
    ['not a token', () => 'abc.def', 'TOKEN_INVALID'],
  ])('refuses a token %s', (_label, make, code) => {
    expect(() => tokens.verify(make())).toThrow(expect.objectContaining({ code }));
  });

  describe('remembering verified tokens', () => {
    afterEach(() => jest.useRealTimers());

    it('answers a repeat with the same principal, frozen, and refuses it as expired once its exp is reached', () => {
      jest.useFakeTimers({ now: Date.parse('2026-11-26T12:00:00.000Z') });
      const service = new TokenService(SECRET, 60);
      const { token } = service.sign({ subject: '12', roles: ['user'] });
      const first = service.verify(token);
      expect(service.verify(token)).toBe(first);
      expect(Object.isFrozen(first) && Object.isFrozen(first.roles)).toBe(true);
      jest.setSystemTime(Date.parse('2026-11-26T12:00:59.999Z'));
      expect(service.verify(token)).toBe(first);
      jest.setSystemTime(Date.parse('2026-11-26T12:01:00.000Z'));
      expect(() => service.verify(token)).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED' }));
    });

    it('does not remember a refused token', () => {
      const other = new TokenService('b'.repeat(40), 60).sign({ subject: '1', roles: ['operator'] }).token;
      expect(() => tokens.verify(other)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
      expect(() => tokens.verify(other)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
    });
  });
});
