import { describe, expect, it } from 'vitest';
import { toActivity } from '../../src/bot/activity-mapper.js';
import type { ReplyButton } from '../../src/conversation/reply.js';
import { isReusablePart } from '../../src/transcripts/reusable-parts.js';
import { menuTurn, renderer } from '../conversation/turn-support.js';

/** The main menu's reply as the renderer makes it (its buttons are the step's, shared). */
const menuReply = (lang: 'ja' | 'en' = 'en') => renderer.render(menuTurn(lang), { navigation: 'mainMenu' }).at(-1)!;

describe("a reply's buttons as suggested actions, shared between replies where the step's buttons are (issue 16)", () => {
  it("gives every reply of a step the same suggested actions, frozen and marked for the transcript to reuse", () => {
    const first = toActivity(menuReply(), 'emulator');
    const second = toActivity(menuReply(), 'emulator');
    expect(second.suggestedActions).toBe(first.suggestedActions);
    expect(isReusablePart(first.suggestedActions)).toBe(true);
    expect(() => first.suggestedActions!.actions.pop()).toThrow(TypeError);
    // Each reply is still an activity of its own: botbuilder stamps ids and addresses on it.
    expect(second).not.toBe(first);
  });

  it('keeps what the customer sees: one messageBack per button, its title as label and message, its value', () => {
    const reply = menuReply('ja');
    const actions = toActivity(reply, 'directline').suggestedActions!.actions;
    expect(actions.map((a) => [a.type, a.title, a.text, a.displayText, a.value])).toEqual(reply.buttons!.map((b) => ['messageBack', b.title, b.title, b.title, b.value]));
    expect(toActivity(menuReply('en'), 'directline').suggestedActions).not.toBe(toActivity(reply, 'directline').suggestedActions);
  });

  it('makes fresh, unshared actions for buttons made for one reply (not frozen)', () => {
    const buttons: ReplyButton[] = [{ title: '1', value: { t: 'rate', about: 'resolution', value: 1 } }];
    const first = toActivity({ text: 'How was it?', buttons }, 'emulator');
    const second = toActivity({ text: 'How was it?', buttons }, 'emulator');
    expect(second.suggestedActions).not.toBe(first.suggestedActions);
    expect(isReusablePart(first.suggestedActions)).toBe(false);
  });

  it('puts the buttons on a hero card in Teams, where suggested actions do not always show', () => {
    const activity = toActivity(menuReply(), 'msteams');
    expect(activity.suggestedActions).toBeUndefined();
    expect(activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.hero');
    expect((activity.attachments?.[0]?.content as { buttons: unknown[] }).buttons).toHaveLength(menuReply().buttons!.length);
  });
});
