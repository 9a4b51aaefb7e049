import type { Language } from '../i18n/language.js';
import { REDACTION_MARKERS } from '../privacy/index.js';
import { parseButtonValue } from './button-value.js';
import type { ConversationData } from './conversation-data.js';
import type { CurrentStep } from './flow-session.js';
import type { Topic } from '../../flows/troubleshooting/index.js';
import { asTopic, recognisesNothing, route, topicOfIntent, topicStepPrefix, type Routing, type Understand, type Understanding } from './intent-routing.js';
import type { Interpretation, Interpreter } from './interpreter.js';
import type { TurnInput } from './turn.js';

/** What free text is about: the NLU's routing, or nothing at all (the text was only a pasted secret). */
export type TopicReading = Routing | { readonly kind: 'secretOnly' };

/** What one customer message means, read once per turn before the active phase decides. */
export interface Meaning {
  /** What the input says to the current step: an answer, a command, text the step cannot use… */
  readonly said: Interpretation;
  /** Free text read for a topic (the NLU), when the step could not use it and the phase reads topics. */
  readonly topic?: TopicReading;
  /** The language the text is written in, when it says so: the reply follows it unless one was chosen. */
  readonly writtenIn?: Language;
  /** The customer sounds angry or desperate: one line of acknowledgement before the help. */
  readonly upset?: true;
}

export interface TurnInterpreterDeps {
  readonly interpreter: Interpreter;
  /** Free-text understanding (NLU); without it, text that is not an answer is "not understood". */
  readonly understand?: Understand | undefined;
  /** Confidence at or above which an understood intent is acted on without asking. */
  readonly confident: number;
  /** The troubleshooting menu, where text is most likely a topic. */
  readonly mainMenuId: string;
}

/** How sure an unsure answer mid-flow must be of another topic for the bot to ask about it. */
const TOPIC_CHANGE_MIN = 0.3;

/** Words from which typed text counts as a sentence whose language the reply follows (button labels are shorter). */
const SENTENCE_WORDS = 4;

/** Kana and kanji from which Japanese text (written without spaces) counts as such a sentence. */
const SENTENCE_JAPANESE_CHARS = 8;
const JAPANESE_CHAR = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/gu;

/** A whole sentence, not a word or a button's label: its language is the customer's. */
function isSentence(text: string): boolean {
  return text.trim().split(/\s+/).length >= SENTENCE_WORDS || (text.match(JAPANESE_CHAR)?.length ?? 0) >= SENTENCE_JAPANESE_CHARS;
}

/**
 * The one place a turn's input is understood: the step's own words and buttons (the Interpreter),
 * then, for a phase that reads topics, what free text is about (the NLU). Phases only act on the
 * result. Identity answers are personal data and never go to the NLU.
 */
export class TurnInterpreter {
  constructor(private readonly deps: TurnInterpreterDeps) {}

  /**
   * `offered`: the choices of the clarifying question the customer is answering, if any ("topic:<topic>",
   * "command:<command>", as shown): a number or a title typed back picks one, before anything else.
   */
  read(input: TurnInput, step: CurrentStep | undefined, lang: Language, readsTopics: boolean, offered?: readonly string[]): Meaning {
    const picked = offered && this.deps.interpreter.pickOffered(input, offered);
    if (picked) return { said: picked };
    const said = this.deps.interpreter.interpret(input, step);
    if (!readsTopics || !this.deps.understand) return { said };
    const atMenu = step?.id === this.deps.mainMenuId;
    // At the menu, text in which nothing is recognised ("asdfgh", 「あいうえお」) is not about 2FA.
    if (said.kind === 'unknown') return { said, ...this.freeText(said.text, lang, atMenu) };
    // At the menu an unsure answer may still name a topic ("I don't know why the SMS doesn't come").
    if (said.kind === 'unsure' && atMenu) return { said, ...this.freeText(said.text, lang) };
    // At the menu a topic's word inside a sentence decides nothing: the classifier reads the whole
    // sentence ("I didn't delete the app, the code fails"), the one place topics are decided.
    if (said.kind === 'answer' && atMenu && said.byWord && typeof input.text === 'string') return this.menuSentence(input.text, said.event, lang);
    if (said.kind === 'answer' && atMenu) return { said, ...this.topicWithSlots(input, said.event, lang) };
    // Mid-flow, "not sure… actually my number changed" is a new topic, not "I don't know".
    if (said.kind === 'unsure' && step !== undefined) return { said, ...this.topicChange(said.text, step.id, lang) };
    // Mid-flow, an answer found inside a whole sentence ("no, it still has not arrived"): the reply
    // follows the sentence's language; a word or two ("yes", 「はい」) says nothing about it.
    if (said.kind === 'answer' && said.byWord && typeof input.text === 'string' && isSentence(input.text)) {
      return { said, writtenIn: this.languageOf(input.text, this.deps.understand!(input.text, lang), lang) };
    }
    return { said };
  }

  /** A sentence at the menu that contains a topic's word: what the classifier makes of all of it. */
  private menuSentence(text: string, event: string, lang: Language): Meaning {
    const said = { kind: 'unknown', text } as const;
    const read = this.freeText(text, lang);
    const wordTopic = event.startsWith('topic.') ? asTopic(event.slice('topic.'.length)) : undefined;
    // Nothing the classifier is sure of: ask, offering the topic the word named.
    if (read.topic?.kind === 'notUnderstood' && wordTopic) return { said, ...read, topic: { kind: 'clarify', topics: [wordTopic] } };
    return { said, ...read };
  }

  /** An unsure answer mid-flow that names other topics: a jump there when sure, else the question which. */
  private topicChange(text: string, stepId: string, lang: Language): Pick<Meaning, 'topic' | 'writtenIn' | 'upset'> {
    if (text.replace(REDACTION_MARKERS, ' ').trim() === '') return {};
    const understanding = this.deps.understand!(text, lang);
    const topic = route(understanding, this.deps.confident);
    const elsewhere = (t: Topic): boolean => !stepId.startsWith(topicStepPrefix(t));
    // "I don't know" alone names nothing: only a topic the text is fairly sure of counts.
    const named = topicOfIntent(understanding.intent) !== undefined && understanding.confidence >= TOPIC_CHANGE_MIN;
    const changes = (topic.kind === 'jump' && elsewhere(topic.topic)) || (topic.kind === 'clarify' && named && topic.topics.every(elsewhere));
    if (!changes) return {};
    return { topic, writtenIn: this.languageOf(text, understanding, lang), ...(understanding.upset ? { upset: true as const } : {}) };
  }

  /**
   * Text that answers no option of the step: what is it about, and in which language is it written?
   * `atMenu`: the topics were asked for, so text in which nothing is recognised is out of scope
   * (mid-flow it may be a mistyped answer: the step is asked again).
   */
  private freeText(text: string, lang: Language, atMenu = false): Pick<Meaning, 'topic' | 'writtenIn' | 'upset'> {
    // Nothing but a pasted secret: the warning is the answer; it says nothing about a topic.
    if (text.replace(REDACTION_MARKERS, ' ').trim() === '') return { topic: { kind: 'secretOnly' } };
    const understanding = this.deps.understand!(text, lang);
    const routed = route(understanding, this.deps.confident);
    const unrecognised = atMenu && routed.kind === 'notUnderstood' && recognisesNothing(text.replace(REDACTION_MARKERS, ' '), understanding);
    const topic: Routing = unrecognised ? { kind: 'outOfScope', unrecognised: true } : routed;
    return { topic, writtenIn: this.languageOf(text, understanding, lang), ...(understanding.upset ? { upset: true as const } : {}) };
  }

  /**
   * A sentence typed at the main menu that names a topic by one of its words ("I got a new phone,
   * same number, I use SMS"): when the NLU confidently reads the same topic, the jump keeps the
   * slots the matched word alone would lose. A word or two ("sms") says nothing about the language.
   */
  private topicWithSlots(input: TurnInput, event: string, lang: Language): Pick<Meaning, 'topic' | 'writtenIn'> {
    const text = input.text;
    if (typeof text !== 'string' || parseButtonValue(input.value) !== undefined) return {};
    const topic = event.startsWith('topic.') ? asTopic(event.slice('topic.'.length)) : undefined;
    if (!topic) return {};
    const understanding = this.deps.understand!(text, lang);
    const routing = route(understanding, this.deps.confident);
    if (routing.kind !== 'jump' || routing.topic !== topic) return {};
    const sentence = text.trim().split(/\s+/).length >= SENTENCE_WORDS;
    return sentence ? { topic: routing, writtenIn: this.languageOf(text, understanding, lang) } : { topic: routing };
  }

  /** The language of what the customer wrote; secret markers and bare digits say nothing about it. */
  private languageOf(text: string, understanding: Understanding, current: Language): Language {
    const own = text.replace(REDACTION_MARKERS, ' ').trim();
    if (own === text) return understanding.locale;
    return own === '' ? current : this.deps.understand!(own, current).locale;
  }
}

/** Answers in the language the customer writes in, unless they chose one explicitly. */
export function followTextLanguage(data: ConversationData, lang: Language | undefined): void {
  if (lang === undefined || data.langChosen) return;
  if (lang !== data.lang) data.langFromText = true;
  data.lang = lang;
}
