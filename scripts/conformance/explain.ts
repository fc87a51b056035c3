/**
 * Attributes each difference between our facts and the reference's to a
 * known class (`explained.ts`), against the raw message it came from.
 */

/** One class of known difference and the guidance row behind our output. */
export interface Explanation {
  /** Short stable name, printed in the report. */
  id: string;
  /**
   * `guidance`: the guidance row decides for our output. `choice`: the
   * guidance leaves it open or says otherwise and we chose, for a reason
   * given in `why`. `gap`: the reference is right or the guidance gives a
   * target we do not build yet. Counted apart, so neither a choice nor a
   * gap is ever mistaken for following the guidance.
   */
  kind: 'guidance' | 'choice' | 'gap';
  /** `-` only in the reference, `+` only in ours, or either. */
  side: '-' | '+' | 'both';
  /** Matched against the fact text (`Type.path=value`, `Type.path->T`, `#T`). */
  fact: RegExp;
  /** Matched against the message type, MSH-9 as sent (`ORU^R01^ORU_R01`). */
  messages?: RegExp;
  /** Matched against the whole raw message: the class needs such content. */
  messageHas?: RegExp;
  /**
   * Where the value comes from: segment types (`GT1`) or fields (`ORC-4`).
   * A value found verbatim in the message must occur in one of them (and in
   * none of `notFrom`); a value that is not verbatim (a code, a normalised
   * date) or a fact without a value only needs one such segment in the
   * message. That is the limit of this check: a class that names `#Type`
   * facts also covers a resource of that type the mapper should have made
   * from another segment of the same message, so such classes add a
   * `messageHas` that only the explained case meets.
   */
  from?: readonly string[];
  notFrom?: readonly string[];
  /**
   * A check on the fact's value in the raw message the other fields cannot
   * express (the value must stand in a particular component, say).
   */
  holds?: (value: string, message: MessageText) => boolean;
  /**
   * The most times the fact can occur for this class's reason in the
   * message (one per segment that causes it, say); a difference counted
   * more often is left unexplained. For facts without a value (`#Type`,
   * references), which nothing else ties to their cause. `fact` lets one
   * class bound a resource (once) apart from its fields (several times).
   */
  most?: (message: MessageText, fact: string) => number;
  /** The guidance row that decides (for a gap, the row we do not meet). */
  row: string;
  why: string;
}

export interface MessageText {
  /** MSH-9 as sent. */
  type: string;
  raw: string;
  /** Segments by type (`PID` -> every PID segment's text). */
  segments: ReadonlyMap<string, readonly string[]>;
}

export function messageText(raw: string): MessageText {
  const segments = new Map<string, string[]>();
  for (const text of raw.split(/\r\n|\r|\n/)) {
    // A byte-order mark or an MLLP start block may precede the first segment.
    const line = text.replace(/^[^A-Z]+/, '');
    const type = line.slice(0, 3);
    if (!/^[A-Z][A-Z0-9]{2}$/.test(type)) continue;
    const list = segments.get(type) ?? [];
    list.push(line);
    segments.set(type, list);
  }
  const msh = segments.get('MSH')?.[0] ?? '';
  const type = msh.split(msh.charAt(3) || '|')[8] ?? '';

  return { type, raw, segments };
}

const factValue = (fact: string): string | undefined => {
  const at = fact.indexOf('=');
  return at < 0 ? undefined : fact.slice(at + 1);
};

/** The texts a place names: whole segments (`GT1`) or one field (`ORC-4`). */
function texts(place: string, message: MessageText): string[] {
  const [type = '', field] = place.split('-');
  const segments = message.segments.get(type) ?? [];
  if (field === undefined) return [...segments];
  // MSH-1 is the separator itself, so MSH fields sit one place to the left.
  const index = Number(field) - (type === 'MSH' ? 1 : 0);
  return segments.map((text) => text.split('|')[index] ?? '');
}

function inPlaces(
  value: string,
  places: readonly string[],
  message: MessageText,
): boolean {
  return places.some((place) =>
    texts(place, message).some((text) => text.includes(value)),
  );
}

function hasSegment(places: readonly string[], message: MessageText): boolean {
  return places.some((place) =>
    message.segments.has(place.split('-')[0] ?? ''),
  );
}

function fromHolds(
  explanation: Explanation,
  fact: string,
  message: MessageText,
  repeat: boolean,
): boolean {
  const { from } = explanation;
  // A repeat (both sides have the fact, one side more often) may share its
  // value with a `notFrom` segment: that segment's copy is the shared one.
  const notFrom = repeat ? [] : (explanation.notFrom ?? []);
  if (from === undefined) return true;
  const value = factValue(fact);
  // Short values (Y, M, 1) occur everywhere; only a longer one says where
  // it came from.
  if (value !== undefined && value.length >= 3 && message.raw.includes(value))
    return inPlaces(value, from, message) && !inPlaces(value, notFrom, message);

  return hasSegment(from, message);
}

export function explain(
  fact: string,
  side: '-' | '+',
  message: MessageText,
  explanations: readonly Explanation[],
  repeat = false,
  count = 1,
): Explanation | undefined {
  return explanations.find(
    (e) =>
      (e.side === 'both' || e.side === side) &&
      e.fact.test(fact) &&
      (e.messages === undefined || e.messages.test(message.type)) &&
      (e.messageHas === undefined || e.messageHas.test(message.raw)) &&
      fromHolds(e, fact, message, repeat) &&
      (e.holds === undefined || e.holds(factValue(fact) ?? '', message)) &&
      (e.most === undefined || count <= e.most(message, fact)),
  );
}
