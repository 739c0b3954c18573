import { fullRunsToPrune } from './results';

describe('fullRunsToPrune', () => {
  it('keeps the latest three full runs and leaves every other file alone', () => {
    const names = [
      'latest.md',
      'latest.svg',
      '2026-11-25T13-42-23-260Z.json',
      '2026-11-24T00-38-51-028Z.json',
      'smoke-2026-11-20T00-00-00-000Z.json',
      '2026-11-25T13-23-07-025Z.json',
      '2026-11-24T01-37-00-429Z.json',
      '2026-11-24T01-05-43-437Z.json',
    ];
    expect(fullRunsToPrune(names)).toEqual(['2026-11-24T00-38-51-028Z.json', '2026-11-24T01-05-43-437Z.json']);
    expect(fullRunsToPrune(names.slice(0, 4))).toEqual([]);
  });
});
