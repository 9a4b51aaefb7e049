import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLocalizer } from '../../src/i18n/i18n.js';
import { call, startApp, tempDatabase, type RunningApp } from '../channel/directline-server.js';

/** Activities as Microsoft Teams sends them (personal chat), recorded and anonymised. */
function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<string, any>;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const HERO = 'application/vnd.microsoft.card.hero';
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const ja = createLocalizer(LOCALES_DIR, loadConfig({}).brand).forLanguage('ja');

interface Reply {
  type: string;
  text?: string;
  suggestedActions?: unknown;
  attachments?: { contentType: string; content: any }[];
}

let conversationCounter = 0;

describe('Teams-shaped activities on /api/messages', () => {
  let running: RunningApp;
  let db: ReturnType<typeof tempDatabase>;
  beforeAll(async () => {
    db = tempDatabase();
    running = await startApp(db.file);
  });
  afterAll(async () => {
    await running.stop();
    db.remove();
  });

  /** A fresh personal conversation with the same shape as the recordings. */
  function conversation() {
    const id = `${fixture('personal-install').conversation.id}-${++conversationCounter}`;
    return (name: string, changes: Record<string, unknown> = {}) => {
      const activity = fixture(name);
      return { ...activity, ...changes, conversation: { ...activity.conversation, id }, deliveryMode: 'expectReplies' };
    };
  }

  async function send(activity: Record<string, unknown>): Promise<Reply[]> {
    const res = await call(running.baseUrl, 'POST', '/api/messages', { body: activity, headers: { Authorization: 'Bearer emulator-mode' } });
    expect(res.status).toBe(200);
    const replies = (res.body as { activities: Reply[] }).activities;
    assertTeamsRenders(replies);
    return replies;
  }

  /** Teams renders hero cards and Adaptive Cards up to 1.5; buttons go on hero cards there. */
  function assertTeamsRenders(replies: Reply[]): void {
    for (const reply of replies) {
      expect(reply.suggestedActions).toBeUndefined();
      for (const attachment of reply.attachments ?? []) {
        expect([HERO, ADAPTIVE]).toContain(attachment.contentType);
        if (attachment.contentType === ADAPTIVE) expect(Number(attachment.content.version)).toBeLessThanOrEqual(1.5);
      }
    }
  }

  function heroButtons(replies: Reply[]): { title: string; type: string; text?: string; value: unknown }[] {
    return replies.flatMap((r) => (r.attachments ?? []).filter((a) => a.contentType === HERO).flatMap((a) => a.content.buttons ?? []));
  }

  const allText = (replies: Reply[]) => replies.map((r) => [r.text ?? '', ...(r.attachments ?? []).map((a) => a.content?.text ?? '')].join('\n')).join('\n');

  it('welcomes when the app is installed in personal scope, with the main menu as a hero card', async () => {
    const activity = conversation();
    const replies = await send(activity('personal-install'));
    expect(replies[0]!.text).toBe(ja('common:welcome'));
    const buttons = heroButtons(replies);
    expect(buttons.length).toBeGreaterThan(5);
    expect(buttons.every((b) => b.type === 'messageBack' && typeof b.value === 'object')).toBe(true);
    expect(buttons.map((b) => b.title)).toContain(ja('options:phoneLostOrBroken.label'));
  });

  it('does not welcome again when only the bot is added', async () => {
    const activity = conversation();
    const installed = fixture('personal-install');
    const replies = await send(activity('personal-install', { membersAdded: [installed.membersAdded[0]] }));
    expect(replies).toEqual([]);
  });

  it('removes the @mention of the bot before reading the message', async () => {
    const activity = conversation();
    await send(activity('personal-install'));
    const withMention = await send(activity('message-with-mention'));
    const plain = conversation();
    await send(plain('personal-install'));
    const withoutMention = await send(plain('message-with-mention', { text: '2', entities: [] }));
    // "<at>…</at> 2" means the same as "2": the second topic of the menu.
    expect(allText(withMention)).toBe(allText(withoutMention));
    expect(allText(withMention)).not.toContain(ja('common:notUnderstoodMenu'));
  });

  it('takes a press on a hero card button (messageBack: text and value) and moves the flow on', async () => {
    const activity = conversation();
    const menu = heroButtons(await send(activity('personal-install')));
    const button = menu.find((b) => b.title === ja('options:phoneLostOrBroken.label'))!;
    const replies = await send(activity('hero-card-press', { text: button.text, value: button.value }));
    expect(allText(replies)).toContain(ja('troubleshooting:phoneLost.method.prompt'));
    expect(heroButtons(replies).map((b) => b.title)).toContain(ja('options:app.label'));
  });

  it('hands off through the identity Adaptive Card and keeps the Teams tenant on the ticket', async () => {
    const activity = conversation();
    await send(activity('personal-install'));
    const offer = await send(activity('hero-card-press', { text: ja('common:buttons.agent'), value: { t: 'command', command: 'agent' } }));
    // A person: the support contact or the procedure (issue 15); the procedure, by its hero card button.
    const start = heroButtons(offer).find((b) => b.title === ja('identity:options.startProcedure.label'))!;
    expect(start).toBeDefined();
    const handoff = await send(activity('hero-card-press', { id: 'hero-card-press-start', text: start.text, value: start.value }));
    const card = handoff.flatMap((r) => r.attachments ?? []).find((a) => a.contentType === ADAPTIVE);
    expect(card).toBeDefined();
    expect(card!.content.actions.some((a: { type: string }) => a.type === 'Action.Submit')).toBe(true);

    const submitted = await send(activity('adaptive-card-submit'));
    const ticketId = /TFA-[0-9A-Z]{8}/.exec(allText(submitted))?.[0];
    expect(ticketId).toBeDefined();
    const ticket = await running.app.tickets.get(ticketId!);
    expect(ticket).toMatchObject({ channelId: 'msteams', tenantId: TENANT, language: 'ja', userId: fixture('adaptive-card-submit').from.id });
  });

  it('in a team channel (where it posts agents\' alerts) it declines: a notice, no welcome, no questions, no ticket', async () => {
    const inChannel = (name: string, changes: Record<string, unknown> = {}) => {
      const activity = fixture(name);
      const conversation = { ...activity.conversation, conversationType: 'channel', id: `19:agents-channel-${++conversationCounter}@thread.tacv2` };
      return { ...activity, ...changes, conversation, deliveryMode: 'expectReplies' };
    };
    expect(await send(inChannel('personal-install'))).toEqual([]);
    const replies = await send(inChannel('message-with-mention', { text: '<at>GMO Coin 2FA Support</at> 担当者' }));
    expect(replies.map((r) => r.text)).toEqual([ja('common:sharedConversation')]);
    const card = await send(inChannel('adaptive-card-submit'));
    expect(card.map((r) => r.text)).toEqual([ja('common:sharedConversation')]);
    expect(allText(card)).not.toMatch(/TFA-/);
    const stored = running.app.db.prepare("SELECT COUNT(*) AS n FROM bot_state WHERE key LIKE '%agents-channel%'").get() as { n: number } | undefined;
    expect(stored?.n ?? 0).toBe(0);
  });
});
