/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: {
    // type-checking is `npm run typecheck`'s job; here ts-jest only transpiles, which keeps the suite fast
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }],
    '/node_modules/marked/.+\\.js$': '<rootDir>/test/support/esm-to-commonjs.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!marked/)'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  testTimeout: 60_000,
  // a failing test prints what it saw, not a flood of open-handle warnings
  forceExit: false,
};
