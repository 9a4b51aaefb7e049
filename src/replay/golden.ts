import type { Activity, CardAction } from 'botbuilder';
import { MAIN_MENU_ID, pathStateKey, troubleshootingMachine } from '../../flows/troubleshooting/index.js';
import type { Language, Translate } from '../i18n/i18n.js';
import type { TranscriptActivity } from '../transcripts/index.js';
import { withoutRunValues } from './comparable.js';
import { goldenPaths, type FlowPath } from './golden-paths.js';
import type { Replayer } from './replayer.js';
import { asRecordedReply } from './rerecord.js';

/** What the customer does in one turn of a scripted conversation. */
export type ScriptAction =
  /**
   * Press the button (suggested action or card action) whose value matches. With `inputs`, the
   * button submits a card's form: its value is sent with the inputs added, and no text, as
   * channels send an Adaptive Card submission.
   */
  | { readonly press: (value: Record<string, unknown>) => boolean; readonly label: string; readonly inputs?: Readonly<Record<string, string>> }
  /** Type text, built from the conversation language's texts. */
  | { readonly type: (t: Translate) => string };

export interface GoldenScript {
  /** File name without extension, e.g. `en--smsNotReceived.worked`. */
  readonly name: string;
  readonly lang: Language;
  readonly actions: readonly ScriptAction[];
}

export const LOCALES: Readonly<Record<Language, string>> = { ja: 'ja-JP', en: 'en-US' };
const USER = { id: 'user1', name: 'User', role: 'user' };
const BOT = { id: 'bot', name: 'Bot', role: 'bot' };
/** Fixed clock for recordings, so regenerating unchanged behaviour rewrites identical files. */
const EPOCH = Date.UTC(2025, 0, 1);

const answer = (event: string, label: string): ScriptAction => ({ press: (v) => v['t'] === 'answer' && v['event'] === event, label });
const command = (name: string): ScriptAction => ({ press: (v) => v['t'] === 'command' && v['command'] === name, label: name });
/** The identity form filled in with made-up details (example.com is reserved for examples). */
const submitIdentity: ScriptAction = {
  press: (v) => v['t'] === 'identity',
  label: 'identity form',
  inputs: { email: 'taro@example.com', fullName: 'Taro Yamada', dateOfBirth: '1990-01-31', phoneLast4: '5678', description: 'Locked out after several wrong codes' },
};

/** Paths of the troubleshooting flow (see {@link goldenPaths}) and a few navigation scenarios, in both languages. */
export function goldenScripts(): GoldenScript[] {
  const paths = goldenPaths(troubleshootingMachine, MAIN_MENU_ID, pathStateKey as (s: unknown) => string);
  const scripts: GoldenScript[] = [];
  for (const lang of ['ja', 'en'] as const) {
    for (const path of paths) scripts.push({ name: `${lang}--${path.slug}`, lang, actions: pathActions(path) });
    scripts.push(
      {
        name: `${lang}--scenario-back-and-start-over`,
        lang,
        actions: [
          answer('topic.smsNotReceived', 'smsNotReceived'),
          command('back'),
          answer('topic.codeRejected', 'codeRejected'),
          answer('answer.no', 'notWorked'),
          command('restart'),
          answer('topic.lockout', 'lockout'),
          answer('answer.yes', 'yes'),
        ],
      },
      {
        name: `${lang}--scenario-switch-language`,
        lang,
        actions: [command('language'), answer('topic.backup', 'backup'), answer('answer.next', 'next'), answer('answer.ok', 'understood')],
      },
      {
        name: `${lang}--scenario-typed-answers`,
        lang,
        actions: [{ type: (t) => t('options:smsNotReceived.label') }, { type: (t) => t('options:arrived.label') }, command('restart')],
      },
      {
        // A ticket opened, then its status asked: the answer lists the customer's tickets, so it
        // holds only if every transcript replays against fresh stores (issue 13).
        name: `${lang}--scenario-ticket-status`,
        lang,
        actions: [answer('topic.lockout', 'lockout'), answer('answer.yes', 'yes'), submitIdentity, command('status')],
      },
    );
  }
  return scripts;
}

function pathActions(path: FlowPath): ScriptAction[] {
  return path.steps.map((s) => ({ press: (v) => v['t'] === 'answer' && v['step'] === s.stepId && v['event'] === s.event, label: `${s.stepId} ${s.optionId}` }));
}

/**
 * Drives the bot through a script as a customer on the Emulator channel would (join, then press,
 * type or submit a form), and returns the conversation in transcript form with fixed ids and timestamps.
 * What it stores (state, a ticket, the recorded activities) stays in the replayer's stores: wrap
 * it in `replayer.isolated` for a recording that neither sees nor leaves anything.
 */
export async function recordScript(replayer: Replayer, script: GoldenScript): Promise<TranscriptActivity[]> {
  const conversation = replayer.conversation(BOT.id);
  const t = replayer.services.localizer.forLanguage(script.lang);
  const envelope = { channelId: 'emulator', conversation: { id: `golden-${script.name}` }, locale: LOCALES[script.lang] };
  const out: TranscriptActivity[] = [];
  let replies: Partial<Activity>[] = [];
  const turn = async (n: number, content: Partial<Activity>) => {
    const input = {
      type: 'message',
      id: `golden-${n}`,
      timestamp: new Date(EPOCH + n * 60_000),
      ...envelope,
      from: { ...USER },
      recipient: { ...BOT },
      ...content,
    } as TranscriptActivity;
    replies = await conversation.send(input);
    out.push(input, ...replies.map((r, k) => asRecordedReply(r, input, k, BOT.id)));
  };
  await turn(0, { type: 'conversationUpdate', membersAdded: [{ id: USER.id, name: USER.name }, { id: BOT.id, name: BOT.name }] });
  for (const [i, action] of script.actions.entries()) {
    if ('type' in action) {
      await turn(i + 1, { text: action.type(t) });
      continue;
    }
    const button = findButton(replies, action.press);
    if (!button) {
      throw new Error(`${script.name}: turn ${i + 2} has no button for ${action.label}; last reply: ${replies.at(-1)?.text ?? '(none)'}`);
    }
    if (action.inputs) await turn(i + 1, { value: { ...(button.value as Record<string, unknown>), ...action.inputs } });
    else await turn(i + 1, { text: button.text ?? button.title, value: button.value });
  }
  return out;
}

/** The last button among the replies (suggested actions, hero and Adaptive Card actions) whose value matches. */
function findButton(replies: readonly Partial<Activity>[], matches: (value: Record<string, unknown>) => boolean): Partial<CardAction> | undefined {
  for (let i = replies.length - 1; i >= 0; i--) {
    const r = replies[i]!;
    const actions: Partial<CardAction>[] = [...(r.suggestedActions?.actions ?? [])];
    for (const att of r.attachments ?? []) {
      const content = att.content as { buttons?: Partial<CardAction>[]; actions?: { title?: string; data?: unknown }[] } | undefined;
      actions.push(...(content?.buttons ?? []));
      for (const a of content?.actions ?? []) actions.push({ title: a.title ?? '', value: a.data });
    }
    const hit = actions.find((a) => typeof a.value === 'object' && a.value !== null && matches(a.value as Record<string, unknown>));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Whether two saved recordings of a script differ only in what every run makes anew (ticket
 * numbers, dates): `npm run golden` then keeps the file as it is, so regenerating unchanged
 * behaviour leaves the folder unchanged even where a script opens a ticket.
 */
export function sameRecording(saved: string, recorded: string): boolean {
  return saved === recorded || withoutRunValues(saved) === withoutRunValues(recorded);
}
