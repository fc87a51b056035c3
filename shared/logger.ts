import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger per function. PHI is kept out by construction: callers log ids,
 * keys, rule codes and counts. The redaction below is a net for mistakes,
 * not the mechanism.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName,
    logLevel: (process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO') as 'INFO',
  });
}

export type { Logger };
