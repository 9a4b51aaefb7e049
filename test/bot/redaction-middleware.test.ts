import { afterEach, describe, expect, it } from 'vitest';
import { allText, BotHarness } from '../helpers/bot-harness.js';

const harnesses: BotHarness[] = [];
afterEach(() => harnesses.splice(0).forEach((h) => h.close()));

describe('the redaction warning', () => {
  const said = {
    en: { secret: 'my code is 482913 and it fails', marker: 'my code is [redacted:otp] and it fails', plain: 'my code fails' },
    ja: { secret: 'コードは 482913 ですが通りません', marker: 'コードは [redacted:otp] ですが通りません', plain: 'コードが通りません' },
  };
  for (const [lang, locale] of [['en', 'en-US'], ['ja', 'ja-JP']] as const) {
    it(`warns in ${lang} for a typed secret, and the same for a marker already in the text (a replayed transcript)`, async () => {
      const h = new BotHarness({ locale });
      harnesses.push(h);
      const warning = h.services.localizer.forLanguage(lang)('common:secretRedacted');
      await h.join();
      expect(allText(await h.say(said[lang].secret))).toContain(warning);
      expect(allText(await h.say(said[lang].marker))).toContain(warning);
      expect(allText(await h.say({ value: { note: 'key [redacted:totp_key]' } }))).toContain(warning);
      expect(allText(await h.say(said[lang].plain))).not.toContain(warning);
    });
  }
});
