import type { StepMeta } from '../../flows/step-meta.js';
import { LANGUAGES, type Language, type Localizer } from '../i18n/i18n.js';
import { normalize } from '../nlu/normalize.js';
import { readRomaji } from '../nlu/romaji.js';
import { COMMANDS, parseButtonValue, type Command } from './button-value.js';
import { CLARIFY_LABELS } from './clarify-labels.js';
import { isIdentityForm } from './identity-input.js';
import { optionKeyPrefix } from './option-keys.js';

/** What one customer message means for the current step. */
export type Interpretation =
  /** `byWord`: found as an option's word inside longer text, not typed as the option's title, synonym or number. */
  | { readonly kind: 'answer'; readonly event: string; readonly optionId: string; readonly byWord?: true }
  | { readonly kind: 'command'; readonly command: Command; readonly lang?: Language }
  /** A suggested topic was chosen (button from a clarifying question). */
  | { readonly kind: 'jump'; readonly topic: string }
  /** A button from an earlier message whose step is no longer current. */
  | { readonly kind: 'stale' }
  /** Text the step does not understand (it may still be a topic for the NLU). */
  | { readonly kind: 'unknown'; readonly text: string }
  | { readonly kind: 'empty' }
  /** "I don't know", わからない: no answer to the question, and no topic either. */
  | { readonly kind: 'unsure'; readonly text: string }
  /** A bare yes or no to a question that is not a yes/no question: an answer, but to none of its options. */
  | { readonly kind: 'notAnOption' }
  /** A submitted identity card, whatever text came with it: its fields are the answer. */
  | { readonly kind: 'identityForm'; readonly values: Readonly<Record<string, unknown>> };

export interface InterpreterInput {
  readonly text?: string | undefined;
  readonly value?: unknown;
}

/** Longest normalised text read as a request for a language: longer, the language is one word of a story. */
const LANGUAGE_REQUEST_MAX_LENGTH = 40;

/** The options whose words are a bare yes or no ("はい", "nope"). */
const YES_NO = ['yes', 'no'] as const;

/** Words per command, read from `common:commands.<name>.synonyms` in both languages. */
type Vocabulary = Map<string, { command: Command; lang?: Language }>;

/**
 * Turns text or a button press into meaning. The only place that parses customer input for the
 * flow: the machine only ever sees the events named in a step's options.
 *
 * Typed answers are accepted in either language regardless of the conversation's language,
 * because customers switch freely ("yes" in a Japanese chat is common).
 */
export class Interpreter {
  private readonly commands: Vocabulary = new Map();
  private readonly optionWords = new Map<string, Set<string>>();
  /** Phrases of uncertainty ("not sure", わからない), from `common:uncertain.synonyms`. */
  private readonly uncertainWords = new Set<string>();
  /** Phrases asking for a language inside a sentence ("can we do this in English?"), from `common:commands.<language>.inSentence`. */
  private readonly languageRequests: { phrase: string; lang: Language }[] = [];

  constructor(private readonly localizer: Localizer) {
    const spec: { key: string; command: Command; lang?: Language }[] = [
      { key: 'restart', command: 'restart' },
      { key: 'back', command: 'back' },
      { key: 'agent', command: 'agent' },
      { key: 'help', command: 'help' },
      { key: 'status', command: 'status' },
      { key: 'english', command: 'language', lang: 'en' },
      { key: 'japanese', command: 'language', lang: 'ja' },
    ];
    for (const lang of LANGUAGES) {
      const t = localizer.forLanguage(lang);
      for (const w of splitSynonyms(t('common:uncertain.synonyms'))) this.uncertainWords.add(w);
      for (const s of spec) {
        for (const word of splitSynonyms(t(`common:commands.${s.key}.synonyms`))) {
          this.commands.set(word, s.lang ? { command: s.command, lang: s.lang } : { command: s.command });
        }
        if (s.lang) for (const phrase of splitSynonyms(t(`common:commands.${s.key}.inSentence`))) this.languageRequests.push({ phrase, lang: s.lang });
      }
    }
  }

  interpret(input: InterpreterInput, step: { id: string; meta: StepMeta } | undefined): Interpretation {
    if (isIdentityForm(input.value)) return { kind: 'identityForm', values: input.value };
    const button = parseButtonValue(input.value);
    if (button?.t === 'command') return button.lang ? { kind: 'command', command: button.command, lang: button.lang } : { kind: 'command', command: button.command };
    if (button?.t === 'jump') return { kind: 'jump', topic: button.topic };
    // A rating press is read before the step (satisfaction.ts); one that gets here fits no step.
    if (button?.t === 'rate') return { kind: 'stale' };
    if (button?.t === 'answer') {
      const option = step?.meta.options.find((o) => o.event === button.event);
      if (!step || button.step !== step.id || !option) return { kind: 'stale' };
      return { kind: 'answer', event: option.event, optionId: option.id };
    }

    const raw = input.text ?? '';
    const text = normalize(raw);
    if (text === '') return { kind: 'empty' };

    const command = this.commands.get(text);
    if (command) return command.lang ? { kind: 'command', command: command.command, lang: command.lang } : { kind: 'command', command: command.command };
    // "Can we do this in English?": a short request for a language is the language command (never
    // inside an answer the step expects as free text, a name or a description).
    if (step?.meta.field === undefined && text.length <= LANGUAGE_REQUEST_MAX_LENGTH) {
      const request = this.languageRequests.find((r) => containsWord(text, r.phrase));
      if (request) return { kind: 'command', command: 'language', lang: request.lang };
    }

    if (step) {
      const answer = this.matchOption(text, raw, step.meta) ?? this.matchRomaji(raw, step.meta);
      if (answer) return answer;
      // "はい" to "which method do you use?" is no topic for the NLU to guess at: ask again.
      if (step.meta.field === undefined && step.meta.options.length > 0 && YES_NO.some((id) => this.wordsFor(id).has(text))) {
        return { kind: 'notAnOption' };
      }
    }
    return { kind: 'unknown', text: raw };
  }

  /** Option number ("2", "２", "2番"), exact label or synonym, an unsure answer, then the option whose synonym inside the text is longest. */
  private matchOption(text: string, raw: string, meta: StepMeta): Interpretation | undefined {
    const numeric = meta.field === undefined ? /^(\d{1,2})(?: ?番| ?ban)?$/.exec(text) : null;
    if (numeric) {
      const option = meta.options[Number(numeric[1]) - 1];
      return option ? { kind: 'answer', event: option.event, optionId: option.id } : undefined;
    }
    const exact = meta.options.filter((o) => this.wordsFor(o.id).has(text));
    if (exact.length === 1) return { kind: 'answer', event: exact[0]!.event, optionId: exact[0]!.id };
    // A step that expects free text (a name, what happened) must not be cancelled by a word inside it.
    if (meta.field !== undefined) return undefined;
    // "I don't know" / わからない contains a "no": an unsure answer is no answer.
    if ([...this.uncertainWords].some((w) => containsWord(text, w))) return { kind: 'unsure', text: raw };
    // The option whose synonym inside the text is longest wins ("問題ない" is yes, though it
    // contains the no-word "ない"); a tie between options is ambiguous.
    let best: { option: (typeof meta.options)[number]; length: number } | undefined;
    let tie = false;
    for (const option of meta.options) {
      const length = Math.max(0, ...[...this.wordsFor(option.id)].filter((w) => containsWord(text, w)).map((w) => w.length));
      if (length === 0) continue;
      if (!best || length > best.length) {
        best = { option, length };
        tie = false;
      } else if (length === best.length && option.event !== best.option.event) {
        tie = true;
      }
    }
    return best && !tie ? { kind: 'answer', event: best.option.event, optionId: best.option.id, byWord: true } : undefined;
  }

  /**
   * A typed answer to a clarifying question: its number ("4", "4番") or the title of one of the
   * `offered` choices ("topic:<topic>", "command:<command>", as shown, in order); a command's title
   * is its button's (CLARIFY_LABELS).
   */
  pickOffered(input: InterpreterInput, offered: readonly string[]): Interpretation | undefined {
    if (parseButtonValue(input.value) !== undefined || typeof input.text !== 'string') return undefined;
    const text = normalize(input.text);
    const numeric = /^(\d{1,2})(?: ?番| ?ban)?$/.exec(text);
    const chosen = numeric
      ? offered[Number(numeric[1]) - 1]
      : offered.find((choice) => {
          const [kind, name = ''] = choice.split(':');
          if (kind === 'topic') return this.wordsFor(name).has(text);
          const key = CLARIFY_LABELS[name];
          return key !== undefined && LANGUAGES.some((lang) => normalize(this.localizer.forLanguage(lang)(key)) === text);
        });
    if (chosen === undefined) return undefined;
    const [kind, name = ''] = chosen.split(':');
    if (kind === 'topic') return { kind: 'jump', topic: name };
    const command = COMMANDS.find((c) => c === name);
    return command ? { kind: 'command', command } : undefined;
  }

  /**
   * Japanese typed in Latin letters ("hai", "iie", "wakaranai", "mada konai"), read as kana and
   * matched like Japanese typed in kana: the step's exact words, then the words inside the text.
   */
  private matchRomaji(raw: string, meta: StepMeta): Interpretation | undefined {
    const kana = readRomaji(raw, () => false);
    if (kana === undefined) return undefined;
    const text = normalize(kana);
    if ([...this.uncertainWords].some((w) => text === w)) return { kind: 'unsure', text: raw };
    if (meta.field !== undefined) return undefined;
    return this.matchOption(text, raw, meta);
  }

  private wordsFor(optionId: string): Set<string> {
    let words = this.optionWords.get(optionId);
    if (!words) {
      words = new Set();
      for (const lang of LANGUAGES) {
        const t = this.localizer.forLanguage(lang);
        const prefix = optionKeyPrefix(optionId);
        words.add(normalize(t(`${prefix}.label`)));
        for (const w of splitSynonyms(t(`${prefix}.synonyms`))) words.add(w);
      }
      words.delete('');
      this.optionWords.set(optionId, words);
    }
    return words;
  }
}

function splitSynonyms(list: string): string[] {
  return list
    .split('|')
    .map((w) => normalize(w))
    .filter((w) => w !== '');
}

/**
 * Latin words must stand alone ("no" is not inside "know") but may touch Japanese
 * ("今はsmsです"); Japanese has no spaces, so a synonym of two or more characters may sit
 * anywhere ("はい、できました").
 */
function containsWord(text: string, word: string): boolean {
  if (/^[\p{Script=Latin}\d ]+$/u.test(word)) {
    let from = text.indexOf(word);
    while (from >= 0) {
      const before = text[from - 1] ?? ' ';
      const after = text[from + word.length] ?? ' ';
      if (!/[\p{Script=Latin}\d]/u.test(before) && !/[\p{Script=Latin}\d]/u.test(after)) return true;
      from = text.indexOf(word, from + 1);
    }
    return false;
  }
  return word.length >= 2 && text.includes(word);
}
