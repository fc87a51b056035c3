import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger per function (per invocation in local mode, where executions
 * run side by side in one process). PHI is kept out by construction only:
 * callers log ids, keys, rule codes, error names and counts, never a field
 * value. Nothing here redacts; tests/e2e/phi-canary.test.ts is what checks
 * that log lines carry none of the marker values it sends down every path.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName,
    logLevel: (process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO') as 'INFO',
  });
}

export type { Logger };
