/**
 * Turns that arrive at the same time. To make every turn visible, the customer first walks a
 * long way (a loop through "Code not accepted" and "Login locked" that "see also" links allow,
 * 25 questions deep); then N "back" messages arrive at once. Each must show a different earlier
 * question, in the order of the way back, and afterwards the rest of the way back must start
 * exactly N steps up: a lost update would show the same question twice and leave the way back
 * too long.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_MENU_ID } from '../../flows/troubleshooting/index.js';
import { BotHarness } from '../helpers/bot-harness.js';
import { askedStep, replyProblems, shows, type Lang } from '../helpers/reply-checks.js';

/** From the first question of "Code not accepted", these options lead round a loop of six questions. */
const LOOP: readonly (readonly [input: string, next: string])[] = [
  ['2', 'codeRejectedExpired'],
  ['2', 'codeRejectedBrowser'],
  ['2', 'codeRejectedUnresolved'],
  ['2', 'lockoutMessageShown'],
  ['2', 'lockoutNotYet'],
  ['1', 'codeRejectedOtherService'],
];
const TURNS = 20;

let dir: string;
const open: BotHarness[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bot-concurrency-'));
});
afterEach(() => {
  for (const h of open.splice(0)) h.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function harness(file: string, locale: string): BotHarness {
  const h = new BotHarness({ databaseFile: join(dir, file), locale });
  open.push(h);
  return h;
}

/**
 * Joins, opens "Code not accepted" and goes round the loop `rounds` times, one message at a
 * time. Returns the questions shown, oldest first (the trail "back" walks).
 */
async function deepConversation(h: BotHarness, id: string, locale: string, rounds: number): Promise<string[]> {
  const c = { conversation: { id } as never, locale };
  await h.join(c);
  const trail = [askedStep(await h.say('2', c))!];
  expect(trail[0]).toBe('codeRejectedOtherService');
  for (let r = 0; r < rounds; r++) {
    for (const [input, next] of LOOP) {
      expect(askedStep(await h.say(input, c))).toBe(next);
      trail.push(next);
    }
  }
  return trail;
}

/** The errors a customer could see when a turn is lost or refused. */
function errorTexts(h: BotHarness, lang: Lang): string[] {
  const t = h.services.localizer.forLanguage(lang);
  return [t('common:errors.generic'), t('common:errors.busy')];
}

const backWord = (locale: string) => (locale.startsWith('ja') ? '戻る' : 'back');

/** Walks back one message at a time and returns the questions shown, up to the main menu. */
async function walkBack(h: BotHarness, id: string, locale: string, max: number): Promise<string[]> {
  const shown: string[] = [];
  for (let i = 0; i < max; i++) {
    const step = askedStep(await h.say(backWord(locale), { conversation: { id } as never, locale }));
    shown.push(step ?? '?');
    if (step === MAIN_MENU_ID) break;
  }
  return shown;
}

/** The questions "back" shows from a trail, one per message, ending at the main menu. */
const wayBack = (trail: readonly string[]) => [...trail.slice(0, -1).reverse(), MAIN_MENU_ID];

describe('concurrent turns', () => {
  it(`${TURNS} "back" messages at once on one conversation: each answered and applied, none lost`, async () => {
    const h = harness('one-conversation.sqlite', 'en-US');
    const trail = await deepConversation(h, 'busy', 'en-US', 4);
    expect(trail.length).toBe(25);
    const results = await h.sendConcurrently(
      Array.from({ length: TURNS }, () => ({ type: 'message', text: 'back', conversation: { id: 'busy' } as never })),
    );
    for (const [i, replies] of results.entries()) {
      expect(replies.length, `turn ${i + 1} was answered`).toBeGreaterThan(0);
      for (const e of errorTexts(h, 'en')) expect(shows(replies, e), `turn ${i + 1}: ${e}`).toBe(false);
      expect(replyProblems(replies, 'en')).toEqual([]);
    }
    // Every message went one step further back: together they show the first 20 steps of the way back.
    const expected = wayBack(trail);
    expect(results.map((r) => askedStep(r)).sort()).toEqual(expected.slice(0, TURNS).sort());
    // The rest of the way starts exactly 20 steps up.
    expect(await walkBack(h, 'busy', 'en-US', trail.length + 1)).toEqual(expected.slice(TURNS));
  });

  it('two conversations in parallel (one English, one Japanese) stay independent', async () => {
    const h = harness('two-conversations.sqlite', 'en-US');
    const trails = { en: await deepConversation(h, 'conv-en', 'en-US', 2), ja: await deepConversation(h, 'conv-ja', 'ja-JP', 2) };
    const locale = { en: 'en-US', ja: 'ja-JP' } as const;
    const langOf = (i: number): Lang => (i % 2 === 0 ? 'en' : 'ja');
    const results = await h.sendConcurrently(
      Array.from({ length: TURNS }, (_, i) => ({ type: 'message', text: backWord(locale[langOf(i)]), conversation: { id: `conv-${langOf(i)}` } as never, locale: locale[langOf(i)] })),
    );
    for (const lang of ['en', 'ja'] as const) {
      const turns = results.filter((_, i) => langOf(i) === lang);
      expect(turns.every((r) => r.length > 0)).toBe(true);
      expect(replyProblems(turns.flat(), lang)).toEqual([]);
      const expected = wayBack(trails[lang]);
      expect(turns.map((r) => askedStep(r)).sort()).toEqual(expected.slice(0, turns.length).sort());
      expect(await walkBack(h, `conv-${lang}`, locale[lang], 20)).toEqual(expected.slice(turns.length));
    }
  });

  it('two bot instances on one database: a racing turn is answered or refused with "busy", never silently lost', async () => {
    const a = harness('two-instances.sqlite', 'en-US');
    const trail = await deepConversation(a, 'shared', 'en-US', 1);
    const b = harness('two-instances.sqlite', 'en-US');
    const c = { conversation: { id: 'shared' } as never };
    const [fromA, fromB] = await Promise.all([a.say('back', c), b.say('back', c)]);
    const busy = a.services.localizer.forLanguage('en')('common:errors.busy');
    const applied = [fromA, fromB].filter((r) => !shows(r, busy)).length;
    expect(applied, 'at least one turn went through').toBeGreaterThan(0);
    expect(await walkBack(a, 'shared', 'en-US', 10)).toEqual(wayBack(trail).slice(applied));
  });

  it('two bot instances: the first turns of a NEW conversation, at once, are answered or refused, never silently lost', async () => {
    const a = harness('two-instances-new.sqlite', 'en-US');
    const b = harness('two-instances-new.sqlite', 'en-US');
    const c = { conversation: { id: 'fresh' } as never };
    // Both are read against the main menu: "2" opens "Code not accepted", "6" "Change 2FA method".
    const [fromA, fromB] = await Promise.all([a.say('2', c), b.say('6', c)]);
    const busy = a.services.localizer.forLanguage('en')('common:errors.busy');
    const answered = [fromA, fromB].filter((r) => !shows(r, busy));
    expect(answered.length, 'at least one turn went through').toBeGreaterThan(0);
    if (answered.length === 2) {
      // Serialised, the later turn is read on top of the earlier one ("6" is no option of the
      // first SMS question, "2" at "which method now?" picks the app), so both cannot be
      // answers to the main menu: that would mean one turn was answered and then forgotten.
      const told = answered.map((r) => askedStep(r)).sort();
      expect(told, 'both turns answered from the same (main menu) state').not.toEqual(['changeMethodCurrent', 'codeRejectedOtherService']);
    }
    // Whatever was answered last is where the conversation is now.
    const now = askedStep(await a.say('help', c));
    expect(answered.map((r) => askedStep(r))).toContain(now);
  });
});
