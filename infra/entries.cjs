'use strict';
// The handler of each function (its esbuild entry). A handler that is not in the work tree
// yet is replaced by infra/placeholder-handler.ts so that the stack can still be
// packaged and checked offline; the miss is reported on stderr, and
// `npm run package` fails on it when STRICT_HANDLERS=1 (set that for a deploy).
const fs = require('node:fs');
const path = require('node:path');
const { FUNCTIONS } = require('./names.cjs');

const PLACEHOLDER = 'infra/placeholder-handler.handler';
const root = path.resolve(__dirname, '..');

const handlerFile = (folder) => `functions/${folder}/handler.ts`;

/** Function keys whose handler source does not exist. */
const missingHandlers = () =>
  Object.entries(FUNCTIONS)
    .filter(
      ([, folder]) => !fs.existsSync(path.join(root, handlerFile(folder))),
    )
    .map(([key]) => key);

let reported = false;

const entries = () => {
  const missing = new Set(missingHandlers());
  const result = {};
  for (const [key, folder] of Object.entries(FUNCTIONS)) {
    result[key] = missing.has(key)
      ? PLACEHOLDER
      : `functions/${folder}/handler.handler`;
  }
  if (missing.size > 0 && !reported) {
    reported = true;
    process.stderr.write(
      `missing handler entries, packaged as placeholders: ${[...missing].join(', ')}\n`,
    );
  }

  return result;
};

module.exports = entries;
module.exports.missingHandlers = missingHandlers;
module.exports.handlerFile = handlerFile;
module.exports.PLACEHOLDER = PLACEHOLDER;
