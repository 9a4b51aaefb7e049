/**
 * An angry or desperate message ("最悪", "ふざけんな", "help!!", "this is ridiculous"): the bot
 * says one short line of acknowledgement before the help. Read from normalised text (kana as
 * hiragana, lower case) plus the raw text's exclamation marks.
 */
const UPSET_JA = ['最悪', 'さいあく', 'ふざけ', 'いいかげん', 'いい加減', '困って', 'こまって', '助けて', 'たすけて', '急いで', 'いそいで', '至急', '早くして', 'はやくして', 'どうしよう', 'やばい', 'むかつ', 'ありえない', '頭にく', '怒', 'ひどい', '酷い', '泣', 'まじで', 'マジで'];
const UPSET_EN = /\b(wtf|ridiculous|useless|terrible|awful|frustrat\w*|angry|furious|pissed|urgent|urgently|asap|please help|desperate|seriously|unacceptable|worst|come on|fed up|sick of)\b/;
const EXCLAMATIONS = /[!！]{2,}/;

/** Whether a message sounds angry or desperate. */
export function soundsUpset(raw: string, normalized: string): boolean {
  if (typeof raw !== 'string') return false;
  if (EXCLAMATIONS.test(raw)) return true;
  if (UPSET_EN.test(normalized)) return true;
  const kana = normalized;
  return UPSET_JA.some((w) => kana.includes(w.normalize('NFKC').toLowerCase().replace(/[ァ-ヶ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))));
}
