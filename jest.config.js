/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(ts|js)$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // openapi-backend's JSON-ref parser (and its YAML parser) ship ESM only; Node loads them with
  // require(esm), jest does not, so they are compiled to CommonJS for the tests.
  transformIgnorePatterns: ['/node_modules/(?!(@apidevtools/json-schema-ref-parser|js-yaml)/)'],
  setupFilesAfterEnv: ['<rootDir>/test/setup/response-guard.ts'],
  testTimeout: 30000,
};
