module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'domain-phone',
  rootDir: __dirname,
};
