import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalOptions, LocalPipeline } from '../../local/pipeline.ts';

/** A local pipeline in a fresh temporary folder, removed by `dispose`. */
export async function openPipeline(
  options: Partial<LocalOptions> = {},
): Promise<LocalPipeline & { dispose(): Promise<void> }> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const root = await mkdtemp(join(tmpdir(), 'drop-pipeline-'));
  const pipeline = await LocalPipeline.open({
    root,
    printAlerts: false,
    ...options,
  });
  return Object.assign(pipeline, {
    async dispose() {
      pipeline.close();
      await rm(root, { recursive: true, force: true });
    },
  });
}
