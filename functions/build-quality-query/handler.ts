import type { ExecutionInput } from '../../shared/drop/execution-input.ts';
import { qualityChecks, qualityQuery } from '../../shared/quality/sql.ts';

/**
 * Invoked by the workflow's BuildQualityQuery state with the execution
 * input. Returns the data-quality SQL for this drop (rules as data, see
 * shared/quality/rules.json) for Athena to run. Pure: no AWS calls.
 */
export const handler = async (input: ExecutionInput) => {
  const scope = {
    dropId: input.dropId,
    ingestDate: input.ingestDate,
    stagedCounts: input.stagedCounts,
  };
  return {
    queryString: qualityQuery(scope),
    checks: qualityChecks(scope).length,
  };
};
