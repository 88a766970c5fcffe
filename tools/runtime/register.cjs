// Runs the workspace's TypeScript directly: `node -r ./tools/runtime/register.cjs apps/x/src/main.ts`.
// swc transpiles each .ts file as it is required (same options as the jest preset) and the
// @sms/* aliases of tsconfig.base.json resolve to the libraries' sources. Used by the run
// command, the process-level tests and the benchmarks; images run the tsc build instead.
'use strict';
const fs = require('node:fs');
const { transformSync } = require('@swc/core');
const { aliasTargets, registerAliases, swcOptions } = require('./workspace.cjs');

registerAliases(aliasTargets((target) => target));

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swcOptions, sourceMaps: 'inline', filename });
  module._compile(code, filename);
};

process.setSourceMapsEnabled(true);
