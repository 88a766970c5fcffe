// Shared jest settings: @swc/jest for speed, tsconfig path aliases mapped to sources.
const { aliasTargets, swcOptions } = require('./tools/runtime/workspace.cjs');

const moduleNameMapper = Object.fromEntries(
  [...aliasTargets((target) => target)].map(([alias, file]) => [`^${alias}$`, file]),
);

module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcOptions],
  },
  testTimeout: 30000,
};
