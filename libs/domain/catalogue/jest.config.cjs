module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'domain-catalogue',
  rootDir: __dirname,
};
