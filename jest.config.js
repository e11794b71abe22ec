// @ts-check
/** Test tiers: `unit` (pure logic, no servers) and `servers` (integration + end-to-end on real Kafka, Neo4j, Redis). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@scamflow/infra$': '<rootDir>/infra/index.ts',
  '^@scamflow/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
};

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.local/'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Global only: Jest ignores testTimeout inside a project. Server tests wait for consumer groups to form.
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test/support/plain-summary.reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,infra}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'servers',
      testMatch: ['<rootDir>/{apps,libs,infra}/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      setupFiles: ['<rootDir>/test/setup/kafkajs-idle-timer.ts'],
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
