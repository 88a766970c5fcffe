module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'interception-service',
  rootDir: __dirname,
};
