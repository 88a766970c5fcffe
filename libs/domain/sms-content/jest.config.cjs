module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'domain-sms-content',
  rootDir: __dirname,
};
