import { automock, automockOf } from './automock';

class Store {
  constructor(readonly name: string) {
    throw new Error('never constructed by automock');
  }

  get size(): number {
    throw new Error('an accessor is not read');
  }

  find(id: string): Promise<string | null> {
    return Promise.resolve(id);
  }

  describe(): string {
    return 'store';
  }
}

class CachedStore extends Store {
  override describe(): string {
    return 'cached';
  }

  evict(id: string): boolean {
    return id.length > 0;
  }
}

/** What a caller of the class expects: an automock stands in for it as it is. */
const lookUp = (store: Store, id: string) => store.find(id);

describe('automock', () => {
  it('mocks the methods of the class and of its bases, and nothing else', async () => {
    const store = automock(CachedStore);
    expect(Object.keys(store).sort()).toEqual(['describe', 'evict', 'find']);
    for (const name of ['describe', 'evict', 'find'] as const) expect(jest.isMockFunction(store[name])).toBe(true);
    expect(store.describe()).toBeUndefined();
    store.find.mockResolvedValue('found');
    await expect(lookUp(store, 'a')).resolves.toBe('found');
    expect(store.find).toHaveBeenCalledWith('a');
    expect(store.find.getMockName()).toBe('CachedStore.find');
  });

  it('is checked against the real class at compile time', () => {
    const store = automock(Store);
    // @ts-expect-error -- Store has no method evict: a test naming one does not compile
    expect(store.evict).toBeUndefined();
    // @ts-expect-error -- mockResolvedValue is checked against find's real return type
    store.find.mockResolvedValue(42);
    expect(store.find).not.toHaveBeenCalled();
  });

  it('gives every call its own mocks', () => {
    const [a, b] = [automock(CachedStore), automock(CachedStore)];
    expect(a.evict).not.toBe(b.evict);
    a.evict.mockReturnValue(true);
    expect(a.evict('x')).toBe(true);
    expect(b.evict('x')).toBeUndefined();
    expect(a.evict).toHaveBeenCalledTimes(1);
    expect(b.evict).toHaveBeenCalledTimes(1);
  });

  it('takes fields and ready-made mocks as overrides', () => {
    const find = jest.fn((id: string) => Promise.resolve(`#${id}`));
    const store = automock(Store, { name: 'main', find });
    expect(store.name).toBe('main');
    expect(store.find).toBe(find);
  });
});

describe('automockOf', () => {
  it('mocks the methods of an instance of an interface that has no class', () => {
    interface Counter {
      readonly label: string;
      add(n: number): number;
      reset(): void;
    }
    const real: Counter = { label: 'real', add: (n) => n, reset: () => undefined };
    const counter = automockOf(real, 'Counter');
    counter.add.mockReturnValue(5);
    expect(counter.add(1)).toBe(5);
    expect(counter.reset).not.toBe(real.reset);
    expect(Object.keys(counter).sort()).toEqual(['add', 'reset']);
  });
});
