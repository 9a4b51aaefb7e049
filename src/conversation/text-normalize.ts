/**
 * Folds what customers type into a form that compares equal across input methods:
 * NFKC (full-width ＳＭＳ/１ → SMS/1, half-width ｶﾅ → カナ), lower case, katakana → hiragana,
 * emoji and surrounding punctuation dropped, runs of space collapsed.
 */
export function normalizeText(input: string): string {
  return input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60))
    .replace(/\p{Extended_Pictographic}|\uFE0F|\u200D/gu, ' ')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
