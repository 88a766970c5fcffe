// For the compiled build (images): `node -r ./tools/runtime/register-dist.cjs dist/apps/x/src/main.js`.
// Maps the @sms/* aliases to the compiled libraries under dist/.
'use strict';
const { aliasTargets, registerAliases } = require('./workspace.cjs');

registerAliases(aliasTargets((target) => `dist/${target.replace(/\.ts$/, '.js')}`));
