module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'platform-outbox',
  rootDir: __dirname,
};
