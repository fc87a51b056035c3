// Prints each function's minified bundle size, built with esbuild the way
// serverless-esbuild builds it (the options come from infra/esbuild.cjs), and
// how far it is from the 300 KB budget.
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const { FUNCTIONS } = require('../infra/names.cjs') as {
  FUNCTIONS: Record<string, string>;
};
const { handlerFile } = require('../infra/entries.cjs') as {
  handlerFile: (folder: string) => string;
};
const { options } = require('../infra/esbuild.cjs') as {
  options: Record<string, unknown> & { exclude: string[] };
};

const ROOT = path.resolve(import.meta.dirname, '..');
const BUDGET = 300 * 1024;

const bundleSize = async (entry: string): Promise<number> => {
  const { exclude, outputFileExtension, packager, ...esbuildOptions } = options;
  const result = await build({
    ...esbuildOptions,
    entryPoints: [path.join(ROOT, entry)],
    external: exclude,
    outdir: path.join(ROOT, '.esbuild/bench'),
    outExtension: { '.js': String(outputFileExtension) },
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((file) => !file.path.endsWith('.map'));

  return code?.contents.byteLength ?? 0;
};

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

for (const folder of Object.values(FUNCTIONS)) {
  const entry = handlerFile(folder);
  const size = await bundleSize(entry);
  const margin = BUDGET - size;
  const verdict =
    margin >= 0 ? `${kb(margin)} under budget` : `${kb(-margin)} OVER budget`;
  console.log(`${folder.padEnd(24)} ${kb(size).padStart(10)}  ${verdict}`);
}
