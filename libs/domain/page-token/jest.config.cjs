module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'domain-page-token',
  rootDir: __dirname,
};
