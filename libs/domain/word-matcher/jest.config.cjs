module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'domain-word-matcher',
  rootDir: __dirname,
};
