import type { Config } from 'jest';

// Two projects: `unit` (*.spec.ts beside the code, no I/O) and `e2e` (*.e2e-spec.ts under each
// app's or lib's test/, against real Kafka and real MySQL prepared by test/global-setup.ts).
const moduleNameMapper = {
  '^@app/(config|events|database|kafka|platform)$': '<rootDir>/libs/$1/src',
  '^@app/(config|events|database|kafka|platform)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const transform = { '^.+\\.ts$': ['@swc/jest', {}] as [string, object] };

const config: Config = {
  projects: [
    {
      displayName: 'unit',
      rootDir: '.',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/{apps,libs,bench,scripts,test}/**/*.spec.ts'],
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'e2e',
      rootDir: '.',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/{apps,libs,bench}/**/*.e2e-spec.ts'],
      moduleNameMapper,
      transform,
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      testTimeout: 120_000,
    },
  ],
};

export default config;
