import type { Config } from 'jest';

// Four projects: `unit` (*.spec.ts beside the code, no I/O), `e2e` (*.e2e-spec.ts under each
// app's or lib's test/, against real Kafka and real MySQL prepared by test/global-setup.ts),
// `browser` (*.browser-spec.ts: pages in Debian's Chromium, same set-up as e2e) and
// `faults` (test/faults/*.fault-spec.ts: the apps as child processes on a broker and a database
// server the run owns, killed on purpose; serial, see test/faults/serial-runner.ts).
const moduleNameMapper = {
  '^@app/(batching|config|events|database|kafka|platform)$': '<rootDir>/libs/$1/src',
  '^@app/(batching|config|events|database|kafka|platform)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const transform = { '^.+\\.(t|j)s$': ['@swc/jest', {}] as [string, object] };
// ESM-only packages (NestJS 12; content-disposition, pulled in by @fastify/static for the OpenAPI UI) are
// compiled to CommonJS for jest, which loads the tests as CommonJS; the built apps load them with
// Node's own require(esm).
const transformIgnorePatterns = ['/node_modules/(?!(content-disposition|@nestjs)/)'];

/** A project against the real broker and database server that test/global-setup.ts provides. */
const againstInfra = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleNameMapper,
  transform,
  transformIgnorePatterns,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup-env.ts'],
};

const config: Config = {
  projects: [
    {
      displayName: 'unit',
      rootDir: '.',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/{apps,libs,bench,scripts,test}/**/*.spec.ts'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
    { displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,bench}/**/*.e2e-spec.ts'], ...againstInfra },
    // the console in Debian's Chromium (playwright-core) against the apps in-process
    { displayName: 'browser', testMatch: ['<rootDir>/apps/**/*.browser-spec.ts'], ...againstInfra },
    {
      displayName: 'faults',
      rootDir: '.',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
      runner: '<rootDir>/test/faults/serial-runner.ts',
      globalSetup: '<rootDir>/test/faults/global-setup.ts',
      globalTeardown: '<rootDir>/test/faults/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/faults/setup-env.ts'],
    },
  ],
};

export default config;
