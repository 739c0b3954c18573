/**
 * Test doubles typed from the real code (as immich's `automock`): every method becomes a fresh
 * `jest.fn()` (answering undefined until a test says otherwise), and the double's type is
 * `jest.Mocked<T>` of the real class. So a test that configures or checks a method the class no
 * longer has (renamed, removed) fails `tsc`, a test cannot call a method the class never had, and
 * the double goes wherever the class is expected, without a cast.
 *
 * Only methods are mocked: the constructor is not run, so fields it would set are absent (give
 * them in `overrides`) and accessors are left out.
 */
export function automock<T extends object>(Class: abstract new (...args: never[]) => T, overrides: Partial<jest.Mocked<T>> = {}): jest.Mocked<T> {
  return mockMethods<T>(Class.prototype as object, Class.name, overrides);
}

/**
 * automock for a library's interface that has no class to read (kafkajs' `Admin` is a type): the
 * methods are read from one real instance, which is never called.
 */
export function automockOf<T extends object>(instance: T, label: string, overrides: Partial<jest.Mocked<T>> = {}): jest.Mocked<T> {
  return mockMethods<T>(instance, label, overrides);
}

function mockMethods<T>(source: object, label: string, overrides: Partial<jest.Mocked<T>>): jest.Mocked<T> {
  const mock: Record<string, unknown> = {};
  // own properties first, then up the prototype chain: an override in a subclass shadows its base
  for (let o: object | null = source; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(o))) {
      // descriptors, not o[name]: reading an accessor of an object never constructed would run it
      if (name === 'constructor' || name in mock || typeof d.value !== 'function') continue;
      mock[name] = jest.fn().mockName(`${label}.${name}`);
    }
  }
  return Object.assign(mock, overrides) as jest.Mocked<T>;
}
