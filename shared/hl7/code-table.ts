/**
 * A lookup table keyed by text the sender controls: a code, a segment or
 * message name. It is built without a prototype, so a message that sends
 * `constructor` or `toString` as a code finds nothing, as for any other
 * unknown code, instead of an Object method.
 */
export function codeTable<T>(
  entries: Record<string, T>,
): Readonly<Record<string, T>> {
  const table: Record<string, T> = Object.create(null);
  return Object.freeze(Object.assign(table, entries));
}
