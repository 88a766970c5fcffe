module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'platform-tracing',
  rootDir: __dirname,
};
