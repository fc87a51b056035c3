import { createReadStream } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { feedPoliciesFromEnv, policyForKey } from '../shared/config.ts';
import { validateStream } from '../shared/validation/stream.ts';
import {
  QUARANTINE_POLICIES,
  type QuarantinePolicy,
  type ValidationIssue,
} from '../shared/validation/types.ts';
import { landingFiles, missingPaths } from './landing-keys.ts';

/**
 * `npm run validate -- <files or folders> [--json] [--policy drop|record]`:
 * what a feed owner runs before sending. The same validator as the Lambda;
 * nothing is ingested. Files are streamed record by record, so a file of
 * any size is checked in bounded memory. Prints each file's verdict and
 * reasons (rule, location, message; never values). Exit 1 when any file would be rejected
 * whole, 0 otherwise. Without `--policy`, `FEED_POLICIES` (or
 * `FEED_POLICIES_FILE`) picks the policy by the landing key `npm start`
 * would give the file (`landing-keys.ts`), as the Lambda does by object key.
 */
const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    policy: { type: 'string' },
  },
});

if (positionals.length === 0) {
  console.error(
    'usage: npm run validate -- <files or folders> [--json] [--policy drop|record]',
  );
  process.exit(2);
}
const policy = values.policy as QuarantinePolicy | undefined;
if (policy && !QUARANTINE_POLICIES.includes(policy)) {
  console.error(`--policy must be one of ${QUARANTINE_POLICIES.join(', ')}`);
  process.exit(2);
}

/** Issues listed per file; past this only their count is kept. */
const MAX_ISSUES = 1000;
const feedPolicies = (() => {
  try {
    return feedPoliciesFromEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
})();
const missing = await missingPaths(positionals);
if (missing.length > 0) {
  console.error(`no such file or folder: ${missing.join(', ')}`);
  process.exit(2);
}
const files = await landingFiles(positionals);
let rejected = 0;
const reports = [];
for (const { path, key } of files) {
  const file = relative(process.cwd(), path);
  const report = await validateFile(
    file,
    path,
    policy ?? policyForKey(feedPolicies, key),
  );
  if (report.verdict === 'rejected') rejected++;
  if (values.json) reports.push(report);
  else printReport(report);
}
if (values.json) console.log(JSON.stringify(reports, null, 2));
else
  console.log(
    `\n${files.length} file(s): ${files.length - rejected} accepted (fully or in part), ${rejected} rejected`,
  );
process.exitCode = rejected > 0 ? 1 : 0;

/**
 * Streams the file through the same validator as the Lambda, so a file of
 * any size is checked in bounded memory.
 */
async function validateFile(
  file: string,
  path: string,
  policy: QuarantinePolicy | undefined,
) {
  const issues: ValidationIssue[] = [];
  let omitted = 0;
  const resources: Record<string, number> = {};
  const outcome = await validateStream(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    { fileName: path.split('/').pop(), policy },
    (record) => {
      for (const issue of record.issues) {
        if (issues.length < MAX_ISSUES) issues.push(issue);
        else omitted++;
      }
      for (const resource of record.resources) {
        const type = resource.resourceType;
        resources[type] = (resources[type] ?? 0) + 1;
      }
    },
  );
  const accepted = outcome.rejectAll ? 0 : outcome.records.accepted;
  const verdict =
    accepted === 0
      ? 'rejected'
      : accepted < outcome.records.in
        ? 'partially-accepted'
        : 'accepted';

  return {
    file,
    format: outcome.format,
    policy: outcome.policy,
    verdict,
    records: {
      in: outcome.records.in,
      accepted,
      rejected: outcome.records.in - accepted,
    },
    resources: outcome.rejectAll ? {} : resources,
    issues: [...outcome.fileIssues, ...issues],
    ...(omitted > 0 ? { issuesOmitted: omitted } : {}),
  };
}

function printReport(report: Awaited<ReturnType<typeof validateFile>>) {
  const { records } = report;
  console.log(
    `${report.file}: ${report.verdict.toUpperCase()} [${report.format}] ${records.accepted}/${records.in} record(s) accepted`,
  );
  for (const issue of report.issues) {
    console.log(
      `  ${issue.severity.padEnd(7)} ${issue.rule} at ${issue.location}: ${issue.message}`,
    );
  }
  if (report.issuesOmitted) {
    console.log(`  ... ${report.issuesOmitted} more issue(s) not listed`);
  }
}
