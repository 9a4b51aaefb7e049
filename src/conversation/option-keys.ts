/** Locale key prefix of an option: `options:<id>`, or the id itself when it names its namespace. */
export function optionKeyPrefix(optionId: string): string {
  return optionId.includes(':') ? optionId : `options:${optionId}`;
}
