import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { feedPoliciesFromEnv, policyForKey } from '../shared/config.ts';
import {
  QUARANTINE_POLICIES,
  type QuarantinePolicy,
} from '../shared/validation/types.ts';
import {
  allIssues,
  type DropDecision,
  validateDrop,
} from '../shared/validation/validate-drop.ts';

/**
 * `npm run validate -- <files or folders> [--json] [--policy drop|record]`:
 * what a feed owner runs before sending. The same validator as the Lambda;
 * nothing is ingested. Prints each file's verdict and reasons (rule,
 * location, message; never values). Exit 1 when any file would be rejected
 * whole, 0 otherwise. Without `--policy`, `FEED_POLICIES` (or
 * `FEED_POLICIES_FILE`) picks the policy by the file's path as given, as the
 * Lambda does by object key.
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

const feedPolicies = feedPoliciesFromEnv();
const files = (
  await Promise.all(positionals.map((p) => filesUnder(resolve(p))))
).flat();
let rejected = 0;
const reports = [];
for (const file of files) {
  const key = relative(process.cwd(), file);
  const decision = validateDrop(await readFile(file), {
    fileName: file.split('/').pop(),
    policy: policy ?? policyForKey(feedPolicies, key),
  });
  const report = reportOf(relative(process.cwd(), file), decision);
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

function reportOf(file: string, decision: DropDecision) {
  const verdict =
    decision.accepted.length === 0
      ? 'rejected'
      : decision.rejected.length > 0
        ? 'partially-accepted'
        : 'accepted';
  const resources = Object.fromEntries(
    [...decision.resources].map(([type, list]) => [type, list.length]),
  );
  return {
    file,
    format: decision.validation.format,
    policy: decision.policy,
    verdict,
    records: {
      in: decision.validation.records.length,
      accepted: decision.accepted.length,
      rejected: decision.rejected.length,
    },
    resources,
    issues: allIssues(decision.validation),
  };
}

function printReport(report: ReturnType<typeof reportOf>) {
  const { records } = report;
  console.log(
    `${report.file}: ${report.verdict.toUpperCase()} [${report.format}] ${records.accepted}/${records.in} record(s) accepted`,
  );
  for (const issue of report.issues) {
    console.log(
      `  ${issue.severity.padEnd(7)} ${issue.rule} at ${issue.location}: ${issue.message}`,
    );
  }
}

async function filesUnder(path: string): Promise<string[]> {
  if ((await stat(path)).isFile()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
