// The arguments `npm run package` gives `serverless package` (the caller's,
// plus the defaults they do not override), and the one line it prints when
// packaging fails.
const DEFAULT_STAGE = ['--stage', 'dev'];
const DEFAULT_ALERT_EMAIL = '--param=alertEmail=oncall@example.org';

/**
 * The caller's arguments plus the defaults they do not override: a stage of
 * their own keeps the default alertEmail, which the template requires.
 */
export function packageArgs(args: string[]): string[] {
  const given = (pattern: RegExp) => args.some((arg) => pattern.test(arg));
  const stage = given(/^(--stage|-s)(=|$)/) ? [] : DEFAULT_STAGE;
  const email = args.some(
    (arg, i) =>
      /^--param=alertEmail=/.test(arg) ||
      (arg === '--param' && /^alertEmail=/.test(args[i + 1] ?? '')),
  )
    ? []
    : [DEFAULT_ALERT_EMAIL];

  return [...stage, ...email, ...args];
}

/**
 * The one line that says why serverless failed: the innermost message of
 * the first item of its `Error:` block, without the variable-resolution
 * wrapping, the other items and the stack trace around it.
 */
export function errorOf(output: string): string {
  const lines = output.split(/\r?\n/).map((line) => line.trim());
  const start = lines.findIndex((line) => /^Error:?$/.test(line));
  const block: string[] = [];
  for (const line of start >= 0 ? lines.slice(start + 1) : []) {
    if (line === '' || line.startsWith('at ')) break;
    block.push(line);
  }
  // Serverless lists one item per unresolved variable; the first says why.
  const item = block.find((line) => line.startsWith('- '))?.slice(2);
  const text = item ?? block.join(' ');
  const inner = text.match(/.*errored with: (?:\w*Error: )?(.+)$/)?.[1];

  return inner ?? (text || 'serverless exited without saying why');
}
