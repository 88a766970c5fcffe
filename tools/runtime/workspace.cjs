// What every way of running the workspace's code shares: the @sms/* aliases of
// tsconfig.base.json and the swc options that turn its TypeScript into CommonJS.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const { compilerOptions } = JSON.parse(
  fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'),
);

/** swc settings for the workspace's decorators (Nest, MikroORM need their metadata). */
const swcOptions = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

/** alias → absolute path of its index, through `toFile(relative source path)`. */
function aliasTargets(toFile) {
  return new Map(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
      alias,
      path.join(root, toFile(target)),
    ]),
  );
}

/** Makes `require('@sms/x')` resolve to the given targets in this process. */
function registerAliases(targets) {
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveAlias(request, ...rest) {
    return resolveFilename.call(this, targets.get(request) ?? request, ...rest);
  };
}

module.exports = { aliasTargets, registerAliases, swcOptions };
