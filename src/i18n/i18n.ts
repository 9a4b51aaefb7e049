import i18next, { type i18n as I18n, type Resource, type ResourceLanguage, type TFunction } from 'i18next';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, type Language } from './language.js';
import type { ScreenLabels } from './screen-labels.js';

export { LANGUAGES, isLanguage, type Language } from './language.js';
export { DEFAULT_SCREEN_LABELS, SCREEN_LABEL_KEYS, type ScreenLabelKey, type ScreenLabels } from './screen-labels.js';

/** Per-language values that text templates interpolate (`{{exchangeName}}` …), from the configuration. */
export interface BrandTexts {
  readonly exchangeName: string;
  readonly securityMenuPath: string;
  readonly supportContact: string;
  /** The exchange's screen and button names, quoted as `{{screen.<key>}}` (see screen-labels.ts). */
  readonly screen: ScreenLabels;
}

/** Translate for one language: the i18next fixed-language `t` with brand values filled in. */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

export interface Localizer {
  /** A translator for one language (per turn; never the global changeLanguage, it leaks between users). */
  forLanguage(lang: Language): Translate;
  /** Whether a key exists in that language (without falling back to the other). */
  has(lang: Language, key: string): boolean;
  readonly i18n: I18n;
}

/** Loads every `locales/<lang>/<namespace>.json` synchronously: a handful of small files, read once at start. */
export function loadLocaleResources(dir: string): Record<Language, ResourceLanguage> & Resource {
  const out: Record<Language, ResourceLanguage> = { ja: {}, en: {} };
  for (const lang of LANGUAGES) {
    const langDir = join(dir, lang);
    for (const file of readdirSync(langDir).filter((f) => f.endsWith('.json'))) {
      out[lang][file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(langDir, file), 'utf8')) as ResourceLanguage;
    }
  }
  return out;
}

/**
 * Creates an isolated i18next instance (not the global singleton) so tests and several bots in
 * one process cannot step on each other's language.
 */
export function createLocalizer(localesDir: string, brand: Readonly<Record<Language, BrandTexts>>): Localizer {
  const resources = loadLocaleResources(localesDir);
  const namespaces = Object.keys(resources.ja);
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources,
    ns: namespaces,
    defaultNS: 'common',
    lng: 'ja',
    // No fallback: a missing key must show up as a missing key in tests, never as the other language.
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map<Language, TFunction>(LANGUAGES.map((l) => [l, instance.getFixedT(l)]));
  // Resources and brand values never change after start, so a text without per-call values is
  // the same every time: remember it (i18next's lookup was half of a turn's CPU time).
  const cache = new Map<Language, Map<string, string>>(LANGUAGES.map((l) => [l, new Map()]));
  const translators = new Map<Language, Translate>(
    LANGUAGES.map((lang) => {
      const t = fixed.get(lang)!;
      const vars = brand[lang];
      const known = cache.get(lang)!;
      const translate: Translate = (key, extra) => {
        if (extra) return t(key, { ...vars, ...extra }) as string;
        let text = known.get(key);
        if (text === undefined) {
          text = t(key, { ...vars }) as string;
          known.set(key, text);
        }
        return text;
      };
      return [lang, translate];
    }),
  );
  return {
    i18n: instance,
    forLanguage(lang) {
      return translators.get(lang)!;
    },
    has(lang, key) {
      return instance.exists(key, { lng: lang, fallbackLng: false });
    },
  };
}
