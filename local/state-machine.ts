import { readFileSync } from 'node:fs';

/**
 * The one state-machine definition, read from state-machines/ as deployed,
 * with its `${Name}` placeholders filled the way CloudFormation's
 * DefinitionSubstitutions fill them.
 */
export const DEFINITION_PATH = new URL(
  '../state-machines/drop-pipeline.asl.json',
  import.meta.url,
);

export function loadDefinition(
  substitutions: Record<string, string>,
): Record<string, unknown> {
  const text = readFileSync(DEFINITION_PATH, 'utf8');
  const filled = text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`missing substitution: ${name}`);
    return value;
  });
  return JSON.parse(filled);
}

export function placeholders(): string[] {
  const text = readFileSync(DEFINITION_PATH, 'utf8');
  return [
    ...new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] as string)),
  ].sort();
}

const LAMBDA = (name: string) =>
  `arn:aws:lambda:us-east-1:000000000000:function:local-${name}`;

/** What local mode substitutes: names and fake ARNs that bind to local handlers. */
export const LOCAL_SUBSTITUTIONS = {
  CrawlerName: 'local-staged-crawler',
  GlueJobName: 'local-curate-drop',
  GlueDatabase: 'local',
  AthenaWorkGroup: 'local',
  AlertTopicArn: 'arn:aws:sns:us-east-1:000000000000:local-on-call',
  QueueForCurationFunctionArn: LAMBDA('queue-for-curation'),
  CheckCurationFunctionArn: LAMBDA('check-curation'),
  BuildQualityQueryFunctionArn: LAMBDA('build-quality-query'),
  EvaluateQualityFunctionArn: LAMBDA('evaluate-quality'),
  TierRawFileFunctionArn: LAMBDA('tier-raw-file'),
  RecordFailureFunctionArn: LAMBDA('record-failure'),
  FailDropFunctionArn: LAMBDA('fail-drop'),
} as const;
