'use strict';
// The handler of each function (its esbuild entry): functions/<folder>/handler.
// Packaging stops with the missing file's name rather than ship a function
// without its code.
const fs = require('node:fs');
const path = require('node:path');
const { FUNCTIONS } = require('./names.cjs');

const root = path.resolve(__dirname, '..');

const handlerFile = (folder) => `functions/${folder}/handler.ts`;

const entries = () => {
  const result = {};
  for (const [key, folder] of Object.entries(FUNCTIONS)) {
    if (!fs.existsSync(path.join(root, handlerFile(folder)))) {
      throw new Error(
        `failed to package: missing handler ${handlerFile(folder)}`,
      );
    }
    result[key] = `functions/${folder}/handler.handler`;
  }
  return result;
};

module.exports = entries;
module.exports.handlerFile = handlerFile;
