module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'platform-metrics',
  rootDir: __dirname,
};
