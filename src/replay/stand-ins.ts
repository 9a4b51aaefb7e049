/**
 * Masked personal data in a recording, replaced by stand-ins the bot accepts. The recorder masks
 * e-mail addresses as `t***@e***.com` (see src/privacy/mask.ts); sent back as they are, an
 * identity form would be refused where the customer's real address was accepted, and the
 * conversation would go another way. The stand-in keeps the letters the mask kept (`t@e.com`),
 * so whatever the bot echoes of it is masked back to exactly what was recorded.
 */
const MASKED_EMAIL = /([A-Za-z0-9._%+-])\*\*\*@([A-Za-z0-9-])\*\*\*\.([A-Za-z]{2,})/g;

/** `value` (a string, or JSON data such as a card submission) with masked e-mail addresses replaced by stand-ins. */
export function withStandIns<T>(value: T): T {
  if (typeof value === 'string') return value.replace(MASKED_EMAIL, '$1@$2.$3') as T;
  const json = JSON.stringify(value);
  if (json === undefined || !json.includes('***@')) return value;
  // The stand-in has no quote or backslash, so replacing inside the JSON text keeps it valid.
  return JSON.parse(json.replace(MASKED_EMAIL, '$1@$2.$3')) as T;
}
