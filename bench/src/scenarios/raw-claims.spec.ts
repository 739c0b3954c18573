import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYNC_GROUP_COMMIT } from './raw-claims';

// The raw grouped limit groups claims with a copy of the sync path's SYNC_GROUP_COMMIT (it is not
// exported by the app); this fails when the app's value changes and the copy did not.
describe('SYNC_GROUP_COMMIT', () => {
  it('is the sync path group commit rule of apps/coupon/src/claims/claims.service.ts', () => {
    const source = readFileSync(join(__dirname, '../../../apps/coupon/src/claims/claims.service.ts'), 'utf8');
    const found =
      /const SYNC_GROUP_COMMIT\s*=\s*\{\s*maxBatch:\s*([\d_]+),\s*lingerMs:\s*([\d_]+),\s*maxInFlight:\s*([\d_]+)\s*\}/.exec(
        source,
      );
    expect(found).not.toBeNull();
    const [maxBatch, lingerMs, maxInFlight] = found!.slice(1).map((n) => Number(n.replace(/_/g, '')));
    expect({ maxBatch, lingerMs, maxInFlight }).toEqual(SYNC_GROUP_COMMIT);
  });
});
