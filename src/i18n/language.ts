/**
 * The languages the bot speaks, declared once for all of src/: conversations, tickets, the desk,
 * the NLU and the configuration take their `Language` from here (flows/ has no language at all:
 * its states name locale keys).
 */

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return value === 'ja' || value === 'en';
}

/** The first of ja/en in a browser's Accept-Language (by q-value), else the fallback. */
export function languageFromHeader(header: string | undefined, fallback: Language): Language {
  const ranked = (header ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('ja')) return 'ja';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}
