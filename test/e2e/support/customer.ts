/**
 * A customer talking to the real bot through {@link BotHarness}: their own user and conversation
 * ids (several customers can share one harness and database), buttons pressed by their label in
 * the customer's language, and the last replies kept for the next press.
 */
import type { Activity, ConversationAccount } from 'botbuilder';
import { MAIN_MENU_ID } from '../../../flows/troubleshooting/index.js';
import type { Translate } from '../../../src/i18n/i18n.js';
import { afterEach, expect } from 'vitest';
import { BotHarness, type SeenReply } from '../../helpers/bot-harness.js';
import { askedStep, withoutGlossedScreenLabels } from '../../helpers/reply-checks.js';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];
export const LOCALE: Readonly<Record<Lang, string>> = { ja: 'ja-JP', en: 'en-US' };

/** Ticket ids: `TFA-` and 8 Crockford base32 characters (no I, L, O, U). */
export const TICKET_ID = /TFA-[0-9A-HJKMNP-TV-Z]{8}/;

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/u;
export const hasJapanese = (s: string): boolean => JAPANESE.test(s);

export interface CustomerIds {
  readonly userId?: string;
  readonly conversationId?: string;
}

export class Customer {
  last: SeenReply[] = [];
  private readonly userId: string;

  constructor(
    readonly harness: BotHarness,
    readonly lang: Lang,
    private readonly ids: CustomerIds = {},
  ) {
    this.userId = ids.userId ?? 'user1';
  }

  /** The translator of the customer's language (for expected texts). */
  get t(): Translate {
    return this.harness.services.localizer.forLanguage(this.lang);
  }

  get conversationId(): string {
    return this.ids.conversationId ?? 'Convo1';
  }

  get user(): string {
    return this.userId;
  }

  /** Locale, `from` and `conversation` of this customer (TestAdapter defaults when not given). */
  extra(): Partial<Activity> {
    const e: Partial<Activity> = { locale: LOCALE[this.lang] };
    if (this.ids.userId) e.from = { id: this.ids.userId, name: this.ids.userId };
    if (this.ids.conversationId) e.conversation = { id: this.ids.conversationId } as ConversationAccount;
    return e;
  }

  async join(): Promise<SeenReply[]> {
    return this.keep(this.harness.join({ ...this.extra(), membersAdded: [{ id: this.userId, name: this.userId }] }));
  }

  async say(input: string | { value: unknown; text?: string }, extra: Partial<Activity> = {}): Promise<SeenReply[]> {
    return this.keep(this.harness.say(input, { ...this.extra(), ...extra }));
  }

  /** Sends a whole activity (e.g. with a fixed id, to simulate a redelivery). */
  async send(activity: Partial<Activity>): Promise<SeenReply[]> {
    return this.keep(this.harness.send({ ...this.extra(), ...activity }));
  }

  /** Presses the button with this title on the latest replies that show it. */
  async press(title: string): Promise<SeenReply[]> {
    return this.keep(this.harness.press(this.last, title, this.extra()));
  }

  /** Presses the button of a troubleshooting option (`options:<id>.label`). */
  async pressOption(optionId: string): Promise<SeenReply[]> {
    return this.press(this.t(`options:${optionId}.label`));
  }

  /** Types the option's label, as a customer who ignores the buttons would. */
  async typeOption(optionId: string): Promise<SeenReply[]> {
    return this.say(this.t(`options:${optionId}.label`));
  }

  /**
   * Issue 15: presses "start" on the question asked before the identity procedure ("start the
   * procedure now?" after no backup, "a question or the procedure?" for a person), if it was asked.
   */
  async startIfAsked(): Promise<SeenReply[]> {
    const buttons = this.last.at(-1)?.buttons ?? [];
    for (const id of ['startNow', 'startProcedure']) {
      const label = this.t(`identity:options.${id}.label`);
      if (buttons.includes(label)) return this.press(label);
    }
    return this.last;
  }

  /** Issue 15: confirms the summary of the step-by-step identity answers, if it is shown. */
  async confirmIfAsked(): Promise<SeenReply[]> {
    const label = this.t('identity:options.confirm.label');
    return (this.last.at(-1)?.buttons ?? []).includes(label) ? this.press(label) : this.last;
  }

  /** Submits the identity Adaptive Card with these input values. */
  async submitCard(values: Record<string, string>, extra: Partial<Activity> = {}): Promise<SeenReply[]> {
    return this.say({ value: { t: 'identity', ...values } }, extra);
  }

  private async keep(replies: Promise<SeenReply[]>): Promise<SeenReply[]> {
    this.last = await replies;
    return this.last;
  }
}

/** Every text of a set of replies, joined. */
export function textOf(replies: readonly SeenReply[]): string {
  return replies.map((r) => r.text).join('\n');
}

/** How many replies have exactly this text. */
export function countText(replies: readonly SeenReply[], text: string): number {
  return replies.filter((r) => r.text === text).length;
}

/** The step the customer is being asked (shared with the conversation tests). */
export { askedStep };

export function atMainMenu(replies: readonly SeenReply[]): boolean {
  return askedStep(replies) === MAIN_MENU_ID;
}

/** The buttons of the last reply that has any. */
export function lastButtons(replies: readonly SeenReply[]): string[] {
  for (let i = replies.length - 1; i >= 0; i--) if (replies[i]!.buttons.length > 0) return replies[i]!.buttons;
  return [];
}

export interface CardInput {
  readonly type: string;
  readonly id: string;
  readonly label?: string;
  readonly value?: string;
  readonly errorMessage?: string;
  readonly isRequired?: boolean;
}

export interface AdaptiveCard {
  readonly type: string;
  readonly version: string;
  readonly body: readonly Record<string, unknown>[];
  readonly actions: readonly { type: string; title: string; data?: Record<string, unknown>; associatedInputs?: string }[];
}

/** The Adaptive Card among the replies, if any. */
export function adaptiveCardOf(replies: readonly SeenReply[]): AdaptiveCard | undefined {
  for (const r of replies) {
    for (const att of r.activity.attachments ?? []) {
      if (att.contentType === 'application/vnd.microsoft.card.adaptive') return att.content as AdaptiveCard;
    }
  }
  return undefined;
}

/** The card's inputs by id. */
export function cardInputs(card: AdaptiveCard): Record<string, CardInput> {
  const out: Record<string, CardInput> = {};
  for (const element of card.body) {
    if (typeof element['type'] === 'string' && element['type'].startsWith('Input.')) {
      const input = element as unknown as CardInput;
      out[input.id] = input;
    }
  }
  return out;
}

/**
 * The reasons the card lists above its inputs (what the customer reads after a rejected
 * submission; an input's own errorMessage only shows when the client's validation fails).
 */
export function cardReasons(card: AdaptiveCard): string[] {
  const block = card.body.find((e) => e['type'] === 'TextBlock' && e['color'] === 'Attention');
  if (!block) return [];
  return String(block['text'])
    .split('\n')
    .map((line) => line.replace(/^•\s*/u, '').trim())
    .filter((line) => line !== '');
}

/** Customers for one test file, each with a bot of their own, closed after every test. */
export function customerFactory(): (lang: Lang, channelId?: string) => Customer {
  const open: BotHarness[] = [];
  afterEach(() => open.splice(0).forEach((h) => h.close()));
  return (lang, channelId = 'test') => {
    const harness = new BotHarness({ locale: LOCALE[lang], channelId });
    open.push(harness);
    return new Customer(harness, lang);
  };
}

/** Every reply of the last turn in one language (English replies may name the other language's button, 日本語). */
export function expectLanguage(c: Customer, lang: Lang): void {
  for (const r of c.last) {
    if (r.text === '') continue;
    if (lang === 'ja') expect(hasJapanese(r.text), r.text).toBe(true);
    // English quotes the exchange's Japanese screen labels with an English gloss: 「アプリへ変更」 (Change to app).
    else expect(hasJapanese(withoutGlossedScreenLabels(r.text.replaceAll('日本語', ''))), r.text).toBe(false);
  }
}
