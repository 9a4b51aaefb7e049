/**
 * Labelled customer messages sent to the real bot at its main menu (in process, through the same
 * middleware and bot as every channel), and where each one went: straight to the right place,
 * a clarifying question offering the right option, straight to a wrong place, or something else
 * (the menu again, a question without the right option). Also whether the reply came in the
 * language of the conversation. `npm run classify -- --file f.tsv --through-bot` prints it; the
 * held-out test gates it.
 */
import type { BotServices } from '../app.js';
import { topicOfIntent } from '../conversation/intent-routing.js';
import type { Language } from '../i18n/i18n.js';
import { ReplayAdapter } from './replay-adapter.js';
import { ReplayConversation } from './replayer.js';

/** One labelled message (the NLU's TSV row: locale, intent name, text). */
export interface ThroughBotLine {
  readonly locale: Language;
  readonly intent: string;
  readonly text: string;
  readonly line: number;
}

/** How one message was handled at the menu. */
export type Verdict = 'right' | 'askedRight' | 'wrong' | 'other';

export interface LineResult {
  readonly line: ThroughBotLine;
  /**
   * Where the bot went: a topic id, `clarify:<topics>`, `numberChanged` (the number-changed
   * handoff), `appLostNoBackup` / `phoneLostNoBackup` (the no-backup handoffs), `agent`, `status`, `outOfScope`, `greeting`, `thanks`, `menu`.
   */
  readonly place: string;
  readonly verdict: Verdict;
  readonly wrongLanguage: boolean;
}

export interface LanguageTally {
  readonly total: number;
  readonly right: number;
  readonly askedRight: number;
  readonly wrong: number;
  readonly other: number;
  readonly wrongLanguage: number;
}

export interface ThroughBotReport {
  readonly byLocale: Readonly<Record<Language, LanguageTally>>;
  readonly results: readonly LineResult[];
}

/**
 * Where each intent should take the customer: a troubleshooting intent opens its topic (the
 * conversation's own table, topicOfIntent); the others end in a command or a reply.
 */
const OTHER_PLACES: Readonly<Record<string, string>> = {
  human_agent: 'agent',
  ticket_status: 'status',
  out_of_scope: 'outOfScope',
  greeting: 'greeting',
  thanks: 'thanks',
};

function placeOfIntent(intent: string): string | undefined {
  return topicOfIntent(intent) ?? OTHER_PLACES[intent];
}

/**
 * Endings that are the right place for an intent besides its topic: "my number has already
 * changed" ends the lost-phone and new-phone branches in the number-changed handoff; "no backup"
 * said with a deleted app or a lost phone ends them in their no-backup handoff, where the guide's
 * "no" to "did you back up?" leads.
 */
const ALSO_RIGHT: Readonly<Record<string, readonly string[]>> = {
  app_deleted: ['appLostNoBackup'],
  phone_lost: ['numberChanged', 'phoneLostNoBackup'],
  phone_replacement: ['numberChanged'],
};

/** The handoffs a message may end in straight away, each told by the start of its message. */
const HANDOFF_PLACES = ['numberChanged', 'appLostNoBackup', 'phoneLostNoBackup'] as const;

/** A troubleshooting step's topic, read from its id (`smsNotReceivedSignal` → smsNotReceived). */
const STEP_PREFIXES: readonly [string, string][] = [
  ['methodsOverview', 'methodsOverview'],
  ['codeRejected', 'codeRejected'],
  ['appDeleted', 'appDeleted'],
  ['smsNotReceived', 'smsNotReceived'],
  ['callNotReceived', 'callNotReceived'],
  ['changeMethod', 'changeMethod'],
  ['backup', 'backup'],
  ['phoneLost', 'phoneLostOrBroken'],
  ['lockout', 'lockout'],
  ['phoneReplacement', 'phoneReplacement'],
  ['mainMenu', 'menu'],
];

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/gu;
const LATIN = /[A-Za-z]/g;
const RAW_KEY = /^[\w-]+(?:[.:][\w-]+)+$/;

interface Seen {
  readonly text: string;
  readonly values: readonly unknown[];
  readonly hasCard: boolean;
}

/** The parts of a sent activity this check reads. */
interface SentActivity {
  readonly text?: string;
  readonly suggestedActions?: { readonly actions?: readonly { readonly value?: unknown }[] };
  readonly attachments?: readonly { readonly contentType?: string; readonly content?: unknown }[];
}

function seen(activity: SentActivity): Seen {
  const actions = activity.suggestedActions?.actions ?? [];
  const values: unknown[] = actions.map((a) => a.value);
  let hasCard = false;
  for (const att of activity.attachments ?? []) {
    if (att.contentType === 'application/vnd.microsoft.card.adaptive') hasCard = true;
    const buttons = (att.content as { buttons?: { value?: unknown }[] } | undefined)?.buttons ?? [];
    for (const b of buttons) values.push(b.value);
  }
  return { text: typeof activity.text === 'string' ? activity.text : '', values, hasCard };
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  if (typeof v === 'string') {
    try {
      return asRecord(JSON.parse(v));
    } catch {
      return undefined;
    }
  }
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

/** Sends labelled messages, one new conversation each, and tallies where they went. */
export class ThroughBot {
  private readonly adapter: ReplayAdapter;
  private readonly marks: Record<Language, Record<string, string>>;
  private conversations = 0;

  constructor(private readonly services: BotServices) {
    this.adapter = new ReplayAdapter(services.middleware);
    const marks = (lang: Language): Record<string, string> => {
      const t = services.localizer.forLanguage(lang);
      return {
        outOfScope: t('nlu:outOfScope').slice(0, 20),
        status: t('common:noTickets').slice(0, 20),
        greeting: t('nlu:greeting').slice(0, 20),
        thanks: t('nlu:thanks').slice(0, 20),
        numberChanged: t('troubleshooting:handoff.phoneNumberChanged').slice(0, 20),
        appLostNoBackup: t('troubleshooting:handoff.appLostNoBackup').slice(0, 20),
        phoneLostNoBackup: t('troubleshooting:handoff.phoneLostNoBackup').slice(0, 20),
      };
    };
    this.marks = { ja: marks('ja'), en: marks('en') };
  }

  async run(lines: readonly ThroughBotLine[]): Promise<ThroughBotReport> {
    const results: LineResult[] = [];
    for (const line of lines) results.push(await this.one(line));
    const tally = (locale: Language): LanguageTally => {
      const mine = results.filter((r) => r.line.locale === locale);
      const count = (v: Verdict): number => mine.filter((r) => r.verdict === v).length;
      return { total: mine.length, right: count('right'), askedRight: count('askedRight'), wrong: count('wrong'), other: count('other'), wrongLanguage: mine.filter((r) => r.wrongLanguage).length };
    };
    return { byLocale: { ja: tally('ja'), en: tally('en') }, results };
  }

  private async one(line: ThroughBotLine): Promise<LineResult> {
    const locale = line.locale === 'ja' ? 'ja-JP' : 'en-US';
    const conversation = new ReplayConversation(this.adapter, this.services, `through-bot-${++this.conversations}`, undefined);
    const base = { locale, channelId: 'emulator', from: { id: `u${this.conversations}`, name: 'User' } };
    await conversation.send({ ...base, type: 'conversationUpdate', membersAdded: [{ id: `u${this.conversations}`, name: 'User' }] } as never);
    const replies = (await conversation.send({ ...base, type: 'message', text: line.text } as never)).map(seen).filter((r) => r.text !== '' || r.values.length > 0 || r.hasCard);
    const place = this.placeOf(replies);
    const expected = placeOfIntent(line.intent) ?? '?';
    let verdict: Verdict;
    if (place === expected || ALSO_RIGHT[line.intent]?.includes(place)) verdict = 'right';
    else if (place.startsWith('clarify:')) verdict = place.slice('clarify:'.length).split(',').includes(expected) || expected === 'agent' ? 'askedRight' : 'other';
    else if (place === 'menu') verdict = 'other';
    else verdict = 'wrong';
    return { line, place, verdict, wrongLanguage: !inLanguage(replies, line.locale) };
  }

  private placeOf(replies: readonly Seen[]): string {
    const records = replies.flatMap((r) => r.values.map(asRecord)).filter((v): v is Record<string, unknown> => v !== undefined);
    const answerSteps = records.filter((v) => v.t === 'answer' && typeof v.step === 'string').map((v) => v.step as string);
    // A clarifying question's options: its topics, and the ticket status or "something else" when offered.
    const jumps = records
      .filter((v) => (v.t === 'jump' && typeof v.topic === 'string') || (v.t === 'command' && (v.command === 'status' || v.command === 'outOfScope')))
      .map((v) => (v.t === 'jump' ? (v.topic as string) : (v.command as string)));
    const text = replies.map((r) => r.text).join('\n');
    for (const place of HANDOFF_PLACES) for (const lang of ['ja', 'en'] as const) if (text.includes(this.marks[lang][place]!)) return place;
    if (replies.some((r) => r.hasCard)) return 'agent';
    const step = answerSteps.at(-1);
    if (step !== undefined) {
      const topic = STEP_PREFIXES.find(([prefix]) => step.startsWith(prefix))?.[1];
      if (topic === undefined) return 'agent';
      if (topic !== 'menu') return topic;
    }
    if (jumps.length > 0) return `clarify:${jumps.join(',')}`;
    for (const lang of ['ja', 'en'] as const) {
      for (const [place, mark] of Object.entries(this.marks[lang])) if (text.includes(mark)) return place;
    }
    return 'menu';
  }
}

/** Whether the replies read as written in `lang` (an English reply may name 日本語 or a brand; it must be mostly Latin). */
function inLanguage(replies: readonly Seen[], lang: Language): boolean {
  return replies.every((r) => {
    // A locale key shown raw is a missing text, not a language (the texts' own tests catch it).
    if (r.text === '' || RAW_KEY.test(r.text)) return true;
    const ja = r.text.match(JAPANESE)?.length ?? 0;
    const latin = r.text.match(LATIN)?.length ?? 0;
    return lang === 'ja' ? ja > 0 : ja <= latin / 4;
  });
}

/** The report as text: per language, the four outcomes and the replies in the wrong language; then the lines that went wrong. */
export function formatThroughBot(report: ThroughBotReport, maxListed = 60): string {
  const pct = (n: number, total: number): string => `${total === 0 ? '0.0' : ((n / total) * 100).toFixed(1)}% (${n}/${total})`;
  const lines: string[] = [];
  for (const locale of ['ja', 'en'] as const) {
    const t = report.byLocale[locale];
    lines.push(
      `through the bot ${locale}: straight right ${pct(t.right, t.total)}; asked with the right option ${pct(t.askedRight, t.total)}; ` +
        `straight wrong ${pct(t.wrong, t.total)}; other ${pct(t.other, t.total)}; reply in the wrong language ${pct(t.wrongLanguage, t.total)}`,
    );
  }
  const bad = report.results.filter((r) => r.verdict !== 'right' || r.wrongLanguage);
  if (bad.length > 0) lines.push('not straight right:');
  for (const r of bad.slice(0, maxListed)) {
    lines.push(`  line ${r.line.line} [${r.line.locale} ${r.line.intent}] ${r.verdict}${r.wrongLanguage ? ' WRONG-LANGUAGE' : ''} → ${r.place}: ${r.line.text}`);
  }
  return lines.join('\n');
}
