import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { ActivitySanitizer } from '../../src/transcripts/activity-sanitizer.js';
import { freezeForReuse, isReusablePart, stringifyWithReusableParts } from '../../src/transcripts/reusable-parts.js';
import { pendingActivity } from '../../src/transcripts/transcript-log.js';

const menuActions = () => ({
  actions: ['SMS', 'Authenticator app', 'Voice call'].map((title, i) => ({
    type: 'messageBack',
    title,
    text: title,
    displayText: title,
    value: { t: 'answer', step: 'mainMenu', event: `topic.${i}` },
  })),
  to: [] as string[],
});

const reply = (suggestedActions: object, text = 'Which method do you use?'): Partial<Activity> => ({
  type: 'message',
  text,
  suggestedActions: suggestedActions as Activity['suggestedActions'],
  channelId: 'emulator',
  conversation: { id: 'c-1' } as Activity['conversation'],
  from: { id: 'bot', name: 'Bot', role: 'bot' },
  recipient: { id: 'customer', name: 'Hana Customer', role: 'user' },
  timestamp: new Date('2026-11-30T10:00:00.000Z'),
});

describe("reusable parts of the bot's replies: checked and serialised once (issue 16)", () => {
  it('serialises exactly as JSON.stringify does, key order, skipped members and dates included', () => {
    const shared = freezeForReuse(menuActions());
    const cases: Record<string, unknown>[] = [
      { a: 1, part: shared, z: 'last' },
      { part: shared, gone: undefined, fn: () => 1, when: new Date(0), nested: { part: shared, s: 'é"\\\n' } },
      { 'key "quoted"': shared, '日本語': [shared, null] },
      { plain: { x: 1 }, list: [1, 'two', null] },
    ];
    for (const value of cases) expect(stringifyWithReusableParts(value)).toBe(JSON.stringify(value));
  });

  it('freezes a part to the bottom, so what was checked once cannot change afterwards', () => {
    const part = freezeForReuse(menuActions());
    expect(isReusablePart(part)).toBe(true);
    expect(() => {
      (part.actions[0]!.value as { event: string }).event = 'topic.hacked';
    }).toThrow(TypeError);
    expect(() => part.to.push('someone')).toThrow(TypeError);
  });

  it('keeps a copy as plain data: a getter or a Date in the original cannot change the part later, and the original stays as it was', () => {
    let title = 'SMS';
    const original = { actions: [{ get title() { return title; } }], sent: new Date('2026-11-30T10:00:00.000Z') };
    const part = freezeForReuse(original);
    title = 'your code 482913';
    original.sent.setTime(0);
    expect(part).toEqual({ actions: [{ title: 'SMS' }], sent: '2026-11-30T10:00:00.000Z' });
    expect(Object.getOwnPropertyDescriptor(part.actions[0], 'title')?.get).toBeUndefined();
    expect(Object.isFrozen(original)).toBe(false);
    expect(stringifyWithReusableParts({ part })).toBe(JSON.stringify({ part }));
  });

  it('trusts only what it froze itself: an object frozen elsewhere, perhaps only at its top, is not reusable', () => {
    const shallow = Object.freeze({ actions: [{ title: 'my code is 482913' }] });
    expect(isReusablePart(shallow)).toBe(false);
    expect(isReusablePart(null)).toBe(false);
    expect(isReusablePart('text')).toBe(false);
  });

  it('stores a reply with a shared part as it stores the same reply made fresh, every time', () => {
    const sanitizer = new ActivitySanitizer();
    const shared = freezeForReuse(menuActions());
    for (let turn = 0; turn < 3; turn++) {
      const withShared = pendingActivity(sanitizer.sanitize(reply(shared)));
      const fresh = pendingActivity(sanitizer.sanitize(reply(menuActions())));
      expect(withShared.body).toBe(fresh.body);
      expect(withShared.body).not.toContain('Hana Customer');
    }
  });

  it('still cleans a shared part that holds a secret or personal data, on every reply that carries it', () => {
    const sanitizer = new ActivitySanitizer();
    const leaky = menuActions();
    leaky.actions[0]!.title = 'your code 482913 was sent to hana@example.com';
    const shared = freezeForReuse(leaky);
    for (let turn = 0; turn < 3; turn++) {
      const body = pendingActivity(sanitizer.sanitize(reply(shared))).body;
      expect(body).not.toContain('482913');
      expect(body).not.toContain('hana@example.com');
      expect(body).toContain('Authenticator app');
    }
    // The part itself is untouched: the reply the customer saw is not the stored copy.
    expect(shared.actions[0]!.title).toContain('482913');
  });

  it('cleans the text beside a clean shared part as before (a secret, or the identity summary\'s personal data)', () => {
    const sanitizer = new ActivitySanitizer();
    const shared = freezeForReuse(menuActions());
    for (const [text, removed] of [
      ['Your code 193847 is not the one', '193847'],
      ['E-mail: hana.summary@example.com\nPhone: 090-1234-5678\nIs this right?', 'hana.summary@example.com'],
    ] as const) {
      const body = pendingActivity(sanitizer.sanitize(reply(shared, text))).body;
      expect(body).not.toContain(removed);
      expect(JSON.parse(body).suggestedActions).toEqual(JSON.parse(JSON.stringify(shared)));
    }
  });
});
