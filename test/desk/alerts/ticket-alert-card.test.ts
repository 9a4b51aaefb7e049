/**
 * The agents' alert card: a valid Adaptive Card 1.5 (checked with Microsoft's own renderer
 * package) in both languages, built from a ticket whose claims hold a name and an e-mail without
 * any of them showing, overdue tickets marked, and a button to the ticket's desk page.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { ticketAlertCard, ticketConsoleUrl } from '../../../src/desk/alerts/ticket-alert-card.js';
import { createLocalizer } from '../../../src/i18n/i18n.js';
import type { Ticket } from '../../../src/tickets/ticket.js';
import { namespaceKeys } from '../../flows/troubleshooting-harness.js';
import { harness, IMPLEMENTATIONS, type Harness } from '../../tickets/service-harness.js';

// The package's ESM build does not resolve in Node; its UMD bundle does (see STACK-NOTES).
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);
const BASE = 'https://chat.example.com';
const HOUR = 3_600_000;
const LANGS = ['ja', 'en'] as const;
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

/** Problems Microsoft's renderer finds in a card parsed as version 1.5: unknown elements, bad values, missing ids. */
function cardProblems(json: unknown): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const parsing = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  const validation = card.validateProperties().validationEvents.map((e) => e.message);
  return [...parsing, ...validation];
}

function draw(ticket: Ticket, lang: 'ja' | 'en', now: Date, slaHours = 48) {
  return ticketAlertCard(ticket, { t: localizer.forLanguage(lang), verificationSlaHours: slaHours, publicBaseUrl: BASE, now });
}

const facts = (card: Record<string, unknown>) =>
  ((card['body'] as Record<string, unknown>[]).find((e) => e['type'] === 'FactSet')!['facts'] as { title: string; value: string }[]).map((f) => [f.title, f.value]);

describe('ticket alert card', () => {
  const open: Harness[] = [];
  afterEach(() => open.splice(0).forEach((h) => h.dispose()));

  /** Tickets opened through the chat with a name and an e-mail in their claims (memory repository). */
  function setUp(): Harness {
    const h = harness(IMPLEMENTATIONS[0]![1]());
    open.push(h);
    return h;
  }

  it('the checker refuses a broken card (so that a clean result below means something)', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Carousel' }] }).join('\n')).toMatch(/Unknown element type/);
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text' }] }).length).toBeGreaterThan(0);
  });

  it.each(LANGS)('is a valid Adaptive Card 1.5 in %s, for every status', async (lang) => {
    const h = setUp();
    for (const status of ['awaiting_verification', 'verified', 'verification_failed', 'change_approved', 'resolved', 'closed'] as const) {
      const ticket = await h.ticketIn(status);
      const { card } = draw(ticket, lang, new Date(Date.parse(ticket.createdAt) + 50 * HOUR));
      expect(card['version']).toBe('1.5');
      expect(cardProblems(card), `${lang} ${status}`).toEqual([]);
    }
  });

  it.each(LANGS)('shows reason, language, channel, status, waiting time and assignee in %s, and opens the ticket in the desk', async (lang) => {
    const h = setUp();
    const t = localizer.forLanguage(lang);
    const ticket = await h.ticketIn('verified', 'login_lockout');
    const alert = draw(ticket, lang, new Date(Date.parse(ticket.createdAt) + 3 * HOUR));
    expect(JSON.stringify(alert.card)).toContain(ticket.id);
    expect(facts(alert.card)).toEqual([
      [t('alerts:card.fact.status'), t('tickets:status.verified')],
      [t('alerts:card.fact.reason'), t('tickets:reason.login_lockout')],
      [t('alerts:card.fact.language'), t('alerts:language.en')],
      [t('alerts:card.fact.channel'), t('alerts:channel.webchat')],
      [t('alerts:card.fact.waiting'), t('alerts:card.waiting.working', { duration: t('alerts:duration.hours', { hours: 3 }) })],
      [t('alerts:card.fact.assignee'), t('alerts:card.unassigned')],
    ]);
    expect(alert.card['actions']).toEqual([{ type: 'Action.OpenUrl', title: t('alerts:card.open'), url: `${BASE}/desk/tickets/${ticket.id}` }]);
    expect(alert.summary).toBe(t('alerts:card.summary', { ticketId: ticket.id, reason: t('tickets:reason.login_lockout'), status: t('tickets:status.verified') }));
    // Times go to Teams as DATE/TIME functions (each reader's own time zone), in RFC 3339 without fractions.
    expect(JSON.stringify(alert.card)).toContain(`{{DATE(${ticket.createdAt.replace(/\.\d{3}Z$/, 'Z')}, SHORT)}}`);
    if (lang === 'ja') expect(facts(alert.card)[1]![1]).toMatch(JAPANESE);
    else expect(JSON.stringify(alert.card)).not.toMatch(JAPANESE);
  });

  it('names the assignee by agent id and an unknown channel by its id without markup', async () => {
    const h = setUp();
    const ticket = await h.ticketIn('awaiting_verification');
    const assigned = { ...ticket, assigneeId: 'agt_Ab-9', channelId: '[x](https://evil.example)' };
    const values = facts(draw(assigned, 'en', new Date(ticket.createdAt)).card).map(([, v]) => v);
    expect(values).toContain('agt_Ab-9');
    expect(values).toContain('other (xhttpsevilexample)');
  });

  it.each(LANGS)('contains nothing personal from the ticket in %s (claims, user, conversation, transcript reference)', async (lang) => {
    const h = setUp();
    const ticket = await h.ticketIn('awaiting_verification');
    const json = JSON.stringify(draw(ticket, lang, new Date(Date.parse(ticket.createdAt) + HOUR)));
    const c = ticket.claims;
    const needles = [c.email, c.email.split('@')[0]!, c.fullName, ...c.fullName.split(/\s+/), c.dateOfBirth, c.phoneLast4!, c.description, ticket.userId, ticket.conversationId];
    expect(needles.length).toBeGreaterThan(6);
    for (const needle of needles) expect(json, needle).not.toContain(needle);
    expect(json).not.toContain(String((ticket.conversationReference as { serviceUrl: string }).serviceUrl));
  });

  it('marks a ticket awaiting verification past VERIFICATION_SLA_HOURS as overdue, and only that', async () => {
    const h = setUp();
    const t = localizer.forLanguage('en');
    const waiting = await h.ticketIn('awaiting_verification');
    const created = Date.parse(waiting.createdAt);

    const onTime = draw(waiting, 'en', new Date(created + 47 * HOUR));
    expect(onTime.overdue).toBe(false);
    expect(onTime.verificationDueAt).toBe(new Date(created + 48 * HOUR).toISOString());
    expect(JSON.stringify(onTime.card)).not.toContain('Attention');
    expect(JSON.stringify(onTime.card)).not.toContain(t('alerts:card.overdue', { slaHours: 48 }));

    const late = draw(waiting, 'en', new Date(created + 50 * HOUR));
    expect(late.overdue).toBe(true);
    const header = (late.card['body'] as Record<string, unknown>[])[0]!;
    expect(header).toMatchObject({ type: 'Container', style: 'attention' });
    expect(JSON.stringify(header)).toContain(t('alerts:card.overdue', { slaHours: 48 }));
    expect(facts(late.card)).toContainEqual([t('alerts:card.fact.waiting'), t('alerts:card.waiting.overdue', { duration: t('alerts:duration.days', { days: 2, hours: 2 }), slaHours: 48 })]);

    // The target is VERIFICATION_SLA_HOURS, not a constant.
    expect(draw(waiting, 'en', new Date(created + 50 * HOUR), 72).overdue).toBe(false);
    // Once verified, the verification target no longer applies.
    const verified = await h.ticketIn('verified');
    const afterVerification = draw(verified, 'en', new Date(Date.parse(verified.createdAt) + 50 * HOUR));
    expect(afterVerification.overdue).toBe(false);
    expect(afterVerification.verificationDueAt).toBeNull();
  });

  it('counts a finished ticket’s wait up to its last change', async () => {
    const h = setUp();
    const t = localizer.forLanguage('en');
    const ticket = await h.ticketIn('awaiting_verification');
    h.tick(5 * HOUR);
    await h.agents.close(ticket.id, 'agt_a', 'duplicate');
    const closed = (await h.repository.get(ticket.id))!;
    const alert = draw(closed, 'en', new Date(Date.parse(closed.createdAt) + 100 * HOUR));
    expect(facts(alert.card)).toContainEqual([t('alerts:card.fact.waiting'), t('alerts:card.waiting.done', { duration: t('alerts:duration.hours', { hours: 5 }) })]);
  });

  it('links to the console page with the ticket number encoded, whatever the base URL ends with', () => {
    expect(ticketConsoleUrl('https://chat.example.com/', 'TFA-ABCDEFGH')).toBe('https://chat.example.com/desk/tickets/TFA-ABCDEFGH');
    expect(ticketConsoleUrl('https://chat.example.com', 'a/b')).toBe('https://chat.example.com/desk/tickets/a%2Fb');
  });

  it('has the same keys in ja and en, and English texts without Japanese', () => {
    expect(namespaceKeys('ja', 'alerts')).toEqual(namespaceKeys('en', 'alerts'));
    for (const key of namespaceKeys('en', 'alerts')) expect(localizer.forLanguage('en')(`alerts:${key}`), key).not.toMatch(JAPANESE);
  });
});
