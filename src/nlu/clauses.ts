/**
 * Whether a message joins two statements ("the app is gone and the SMS doesn't come either",
 * 「アプリ消えてるしSMSも来ない」): then two topics close together in the ranking are likely two
 * problems, not one the classifier is unsure about.
 */
const JOINED_JA = /(?:てる|ない|た|だ|い)し|それと|それに|あと、|さらに|おまけに|ついでに/;
const JOINED_EN = /\b(?:and|also|plus|too|either|as well)\b/;

/** Reads normalised text (see `normalize`). */
export function joinsTwoStatements(normalized: string): boolean {
  return JOINED_JA.test(normalized) || JOINED_EN.test(normalized);
}
