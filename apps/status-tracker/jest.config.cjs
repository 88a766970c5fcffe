module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'status-tracker',
  rootDir: __dirname,
};
