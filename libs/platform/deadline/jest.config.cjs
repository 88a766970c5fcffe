module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'platform-deadline',
  rootDir: __dirname,
};
