import { authenticate } from './authenticate';
import { TokenService } from './token-service';

describe('authenticate', () => {
  const tokens = new TokenService('k'.repeat(40), 60);
  const request = (authorization?: string) => ({ headers: { authorization } });

  it('verifies a bearer token once per request: the hook before Nest and AuthGuard share the answer', () => {
    const verify = jest.spyOn(tokens, 'verify');
    const req = request(`Bearer ${tokens.sign({ subject: '7', roles: ['user'] }).token}`);
    const first = authenticate(req, tokens);
    expect(first.principal).toEqual({ subject: '7', roles: ['user'] });
    expect(authenticate(req, tokens)).toBe(first);
    expect(verify).toHaveBeenCalledTimes(1);
    verify.mockRestore();
  });

  it('keeps a refused token as its failure instead of throwing, and no token as neither', () => {
    expect(authenticate(request('Bearer not.a.token'), tokens).failure).toMatchObject({ code: 'TOKEN_INVALID' });
    expect(authenticate(request(), tokens)).toEqual({});
    expect(authenticate(request('Basic abc'), tokens)).toEqual({});
  });
});
