import { describe, expect, it } from 'vitest';
import { answerJson } from '../../src/bot/answer-json.js';
import { toActivity } from '../../src/bot/activity-mapper.js';
import { isReusablePart } from '../../src/transcripts/reusable-parts.js';
import { menuTurn, renderer } from '../conversation/turn-support.js';

/** A turn's replies as botbuilder buffers them: the mapper's activity, stamped with ids and addresses. */
function replies(): Record<string, unknown>[] {
  const menu = renderer.render(menuTurn('ja'), { navigation: 'mainMenu' });
  return menu.map((reply, i) => ({
    ...toActivity(reply, 'emulator'),
    id: `reply-${i}`,
    timestamp: new Date(Date.UTC(2026, 11, 1, 2, 0, i)),
    conversation: { id: 'c-1', name: undefined },
    from: { id: 'bot', name: 'Bot', role: 'bot' },
    text: `${String(reply.text)} "quoted" \u2028 \u0000`,
  }));
}

describe("the HTTP answer of an expectReplies turn, serialised with the buttons' JSON made once (issue 16)", () => {
  it('is exactly the text JSON.stringify gives, for a menu whose buttons are a shared part', () => {
    const body = { activities: replies() };
    expect(body.activities.some((a) => isReusablePart(a['suggestedActions']))).toBe(true);
    expect(answerJson(body)).toBe(JSON.stringify(body));
    expect(JSON.parse(answerJson(body))).toEqual(JSON.parse(JSON.stringify(body)));
  });

  it('is JSON.stringify itself for anything else: other bodies, holes, non-plain activities, toJSON', () => {
    class Reply {
      constructor(readonly text: string) {}
    }
    const odd: unknown[] = [
      { activities: [] },
      { activities: [undefined, null, 1] },
      { activities: [, { type: 'message', text: 'after a hole' }] },
      { activities: Object.assign([{ type: 'message' }], { extra: 'not in the JSON' }) },
      { activities: [new Reply('x')] },
      { activities: [{ text: 'a', toJSON: () => ({ text: 'b' }) }] },
      { activities: replies(), extra: true },
      { activities: 'text' },
      { status: 200, body: { ok: true } },
      [{ activities: [] }],
      'plain',
      null,
    ];
    for (const body of odd) expect(answerJson(body)).toBe(JSON.stringify(body));
  });
});
