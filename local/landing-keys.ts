/**
 * The landing key local mode gives each input file: a file alone lands
 * under its name, a folder's files under `<folder name>/<relative path>`,
 * and a second input of the same name gets `<name>-2`. `npm start` lands
 * files under these keys and `npm run validate` picks the feed policy by
 * them, so both give a file the same verdict.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';

export interface LandingFile {
  path: string;
  key: string;
}

/** Every file under the inputs (dotfiles skipped), with its landing key. */
export async function landingFiles(
  inputs: readonly string[],
): Promise<LandingFile[]> {
  const found = await Promise.all(
    inputs.map((path) => filesUnder(resolve(path))),
  );

  return uniqueKeys(found.flat());
}

async function filesUnder(path: string): Promise<LandingFile[]> {
  const info = await stat(path);
  if (info.isFile()) return [{ path, key: basename(path) }];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({
      path: file,
      key: `${basename(path)}/${relative(path, file).split('\\').join('/')}`,
    }));
}

/**
 * Two inputs may map to the same landing key (two folders named `feed`);
 * local landing keeps one version per key, so the later one gets a suffix
 * on its top folder instead of replacing the earlier file before it is
 * archived.
 */
function uniqueKeys(files: LandingFile[]): LandingFile[] {
  const used = new Set<string>();
  return files.map((file) => {
    let key = file.key;
    for (let n = 2; used.has(key); n++)
      key = file.key.replace(/^([^/]+)/, `$1-${n}`);
    used.add(key);
    return { ...file, key };
  });
}

/** The paths that name neither a file nor a folder, to refuse in one line. */
export async function missingPaths(
  paths: readonly string[],
): Promise<string[]> {
  const found = await Promise.all(
    paths.map((path) =>
      stat(path).then(
        () => true,
        () => false,
      ),
    ),
  );
  return paths.filter((_, i) => !found[i]);
}
