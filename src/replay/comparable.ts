import type { Activity, Attachment, CardAction } from 'botbuilder';
import { CROCKFORD_ALPHABET, TICKET_ID_PREFIX } from '../ticket-id.js';

/** A button or card action as the customer sees it: its title, and what pressing it sends. */
export interface ComparableAction {
  readonly title: string;
  readonly value?: unknown;
}

export interface ComparableAttachment {
  readonly contentType: string;
  /** The card's visible texts, in order (titles, text blocks, facts). */
  readonly text?: readonly string[];
  readonly actions?: readonly ComparableAction[];
}

/**
 * What replay compares of a bot reply: its type, text, suggested actions (titles and values),
 * attachment content types and the cards' text and actions. Ids, timestamps, conversation,
 * service URL, from/recipient, locale, channelData and entities are not part of it.
 */
export interface ComparableReply {
  readonly type: string;
  readonly text?: string;
  readonly suggestedActions?: readonly ComparableAction[];
  readonly attachments?: readonly ComparableAttachment[];
}

const HERO_LIKE = new Set([
  'application/vnd.microsoft.card.hero',
  'application/vnd.microsoft.card.thumbnail',
  'application/vnd.microsoft.card.signin',
  'application/vnd.microsoft.card.oauth',
]);
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

export function toComparable(activity: Partial<Activity>): ComparableReply {
  const text = normalizeText(activity.text);
  const actions = (activity.suggestedActions?.actions ?? []).map(fromCardAction);
  const attachments = (activity.attachments ?? []).map(fromAttachment);
  return {
    type: activity.type ?? '',
    ...(text ? { text } : {}),
    ...(actions.length > 0 ? { suggestedActions: actions } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

/** Equality of what the customer would notice; key order in values does not matter. */
export function sameReplies(expected: readonly ComparableReply[], actual: readonly ComparableReply[]): boolean {
  // Both sides are built field by field in the same order, and recorded values keep the order the
  // bot wrote them in: plain JSON is almost always enough, and much cheaper than sorting keys.
  return JSON.stringify(expected) === JSON.stringify(actual) || canonicalJson(expected) === canonicalJson(actual);
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

/** Ticket numbers are random, so a recording's can never come back: any one counts as any other. */
const TICKET_ID = new RegExp(`${TICKET_ID_PREFIX}[${CROCKFORD_ALPHABET}]{8}(?![0-9A-Z])`, 'g');
/** Dates the bot prints (a ticket's last update) are the day of the run, not of the recording. */
const DATE = /(?<![0-9])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])/g;

/**
 * Line endings differ between tools that saved the file; ticket numbers and dates are made
 * anew by every run (the side-by-side diff shows them as TFA-######## and ####-##-##). Nothing
 * else is forgiven.
 */
function normalizeText(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  return withoutRunValues(text.replace(/\r\n?/g, '\n'));
}

/** `text` with ticket numbers and dates, which every run makes anew, as `TFA-########` and `####-##-##`. */
export function withoutRunValues(text: string): string {
  return text.replace(TICKET_ID, `${TICKET_ID_PREFIX}########`).replace(DATE, '####-##-##');
}

function fromCardAction(action: Partial<CardAction>): ComparableAction {
  const value = action.value ?? (action.type === 'imBack' || action.type === 'postBack' ? action.title : undefined);
  return { title: action.title ?? '', ...(value !== undefined ? { value } : {}) };
}

function fromAttachment(attachment: Partial<Attachment>): ComparableAttachment {
  const contentType = attachment.contentType ?? '';
  const content = attachment.content as Record<string, unknown> | undefined;
  if (!content || typeof content !== 'object') return { contentType };
  if (contentType === ADAPTIVE) {
    const texts: string[] = [];
    const actions: ComparableAction[] = [];
    collectAdaptive(content, texts, actions);
    return withParts(contentType, texts, actions);
  }
  if (HERO_LIKE.has(contentType)) {
    const texts = [content['title'], content['subtitle'], content['text']].filter((t): t is string => typeof t === 'string' && t !== '');
    const buttons = Array.isArray(content['buttons']) ? (content['buttons'] as Partial<CardAction>[]) : [];
    return withParts(contentType, texts.map((t) => normalizeText(t)!), buttons.map(fromCardAction));
  }
  return { contentType };
}

function withParts(contentType: string, text: string[], actions: ComparableAction[]): ComparableAttachment {
  return { contentType, ...(text.length > 0 ? { text } : {}), ...(actions.length > 0 ? { actions } : {}) };
}

/** Walks an Adaptive Card: visible texts (TextBlock, TextRun, facts, input labels) and actions, in document order. */
function collectAdaptive(node: unknown, texts: string[], actions: ComparableAction[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectAdaptive(item, texts, actions);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const el = node as Record<string, unknown>;
  const type = typeof el['type'] === 'string' ? el['type'] : '';
  if (type.startsWith('Action.')) {
    const value = el['data'] ?? el['url'] ?? el['verb'];
    actions.push({ title: typeof el['title'] === 'string' ? el['title'] : '', ...(value !== undefined ? { value } : {}) });
    if (el['card']) collectAdaptive(el['card'], texts, actions);
    return;
  }
  if ((type === 'TextBlock' || type === 'TextRun') && typeof el['text'] === 'string') texts.push(normalizeText(el['text']) ?? '');
  if (type === 'Fact' || (typeof el['title'] === 'string' && typeof el['value'] === 'string' && type === '')) {
    texts.push(`${String(el['title'])}: ${String(el['value'])}`);
  }
  if (type.startsWith('Input.') && typeof el['label'] === 'string') texts.push(el['label']);
  for (const key of ['body', 'items', 'columns', 'facts', 'inlines', 'actions', 'selectAction']) {
    if (el[key] !== undefined) collectAdaptive(el[key], texts, actions);
  }
}
