module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'reply-service',
  rootDir: __dirname,
};
