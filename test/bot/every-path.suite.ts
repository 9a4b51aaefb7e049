/**
 * Every path of the troubleshooting machine (xstate/graph simple paths over the options each
 * step offers), driven through the real bot by pressing the button whose value carries the
 * path's event. Run once per language by every-path.<lang>.test.ts (two files, so the two
 * languages run in parallel workers).
 *
 * At each turn: no raw key, nothing in the other language, the question's messages and exactly
 * its option buttons plus Back / Start over (on the main menu: agent and the other language).
 * At the end: the closing message (resolved) or the explanation and the first identity question
 * (handoff).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSimplePaths } from 'xstate/graph';
import type { FlowOutcome } from '../../flows/outcome.js';
import { MAIN_MENU_ID, QUESTION_STEP_IDS, troubleshootingMachine, type TroubleshootingEvent } from '../../flows/troubleshooting/index.js';
import { optionEvents, stepOf, type Snapshot } from '../flows/troubleshooting-harness.js';
import { BotHarness, type SeenReply } from '../helpers/bot-harness.js';
import { answerButton, askedStep, LOCALE_OF, metaOf, questionProblems, replyProblems, shows, stepTexts, type Lang } from '../helpers/reply-checks.js';

const paths = getSimplePaths(troubleshootingMachine, {
  events: (snapshot) => optionEvents(snapshot),
  // As in test/flows: the state value keeps the graph finite (the trail would make it infinite).
  serializeState: (snapshot) => JSON.stringify(snapshot.value) as never,
  toState: (snapshot) => snapshot.status === 'done',
});

interface PathCase {
  readonly name: string;
  readonly turns: readonly { readonly event: TroubleshootingEvent; readonly after: Snapshot }[];
}

const CASES: readonly PathCase[] = paths.map((p) => {
  const turns = p.steps.filter((s) => !s.event.type.startsWith('xstate.')).map((s) => ({ event: s.event, after: s.state }));
  return { name: turns.map((t) => t.event.type).join(' → '), turns };
});

/** Every state id and transition the paths cover, to prove the set is complete. */
export function coverage(): { states: Set<string>; transitions: Set<string> } {
  const states = new Set<string>();
  const transitions = new Set<string>();
  for (const c of CASES) {
    let from = MAIN_MENU_ID;
    states.add(from);
    for (const turn of c.turns) {
      const to = stepOf(turn.after)?.id ?? JSON.stringify(turn.after.value);
      states.add(to);
      transitions.add(`${from} --${turn.event.type}--> ${to}`);
      from = to;
    }
  }
  return { states, transitions };
}

export function describeEveryPath(lang: Lang): void {
  describe(`every troubleshooting path through the bot (${lang}, ${CASES.length} paths)`, () => {
    let harness: BotHarness;
    beforeAll(() => {
      harness = new BotHarness({ locale: LOCALE_OF[lang] });
    });
    afterAll(() => harness.close());

    const expectClean = (replies: readonly SeenReply[], where: string) => {
      expect(replyProblems(replies, lang), where).toEqual([]);
    };

    it('covers every step and every transition the options offer', () => {
      const { states, transitions } = coverage();
      const questionIds = [MAIN_MENU_ID, ...QUESTION_STEP_IDS];
      for (const id of questionIds) expect(states, id).toContain(id);
      // Every option of every question is a transition some path takes.
      for (const id of questionIds) {
        for (const o of metaOf(id).options) expect([...transitions].some((t) => t.startsWith(`${id} --${o.event}-->`)), `${id} ${o.event}`).toBe(true);
      }
    });

    it.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (_name, index) => {
      const c = CASES[index]!;
      const t = harness.services.localizer.forLanguage(lang);
      const localizer = harness.services.localizer;
      const conversation = { id: `path-${lang}-${index}` } as never;

      let replies = await harness.join({ conversation });
      expect(shows(replies, t('common:welcome')), 'welcome').toBe(true);
      expect(questionProblems(replies, localizer, lang, MAIN_MENU_ID)).toEqual([]);
      expectClean(replies, 'welcome');

      let step = MAIN_MENU_ID;
      for (const [i, turn] of c.turns.entries()) {
        const where = `turn ${i + 1} (${step} ← ${turn.event.type})`;
        const button = answerButton(replies, step, turn.event.type);
        expect(button, `${where}: a button for the event is shown`).toBeDefined();
        replies = await harness.say({ value: button!.value, text: button!.title }, { conversation });
        expectClean(replies, where);

        if (turn.after.status === 'active') {
          const next = stepOf(turn.after)!.id;
          expect(askedStep(replies), where).toBe(next);
          expect(questionProblems(replies, localizer, lang, next), where).toEqual([]);
          step = next;
          continue;
        }

        // The end: the final state's own message first.
        const finalId = stepOf(turn.after)!.id;
        for (const text of stepTexts(localizer, lang, finalId)) expect(shows(replies, text), `${where}: ${text}`).toBe(true);
        const outcome = turn.after.output as FlowOutcome;
        if (outcome.kind === 'resolved') {
          expect(shows(replies, t('common:resolvedClosing')), `${where}: closing`).toBe(true);
          expect(replies.at(-1)!.buttons, `${where}: a way back to the menu`).toEqual([t('common:buttons.menu')]);
        } else {
          const explanation = { login_lockout: 'handoff:cannotUnlockInChat', customer_requested: 'handoff:reviewNeedsIdentity' }[outcome.reason as string] ?? 'handoff:cannotResetInChat';
          expect(shows(replies, t(explanation, { hours: 48 })), `${where}: why a person is needed`).toBe(true);
          expect(shows(replies, t('handoff:secretsNotice')), `${where}: secrets notice`).toBe(true);
          // The 'test' channel renders no Adaptive Cards: identity is asked one field at a time.
          const last = replies.at(-1)!;
          expect(last.text, `${where}: the first identity question`).toBe(t('identity:ask.email'));
          expect(last.buttons, `${where}: the identity question can be cancelled`).toEqual([t('identity:options.cancel.label')]);
        }
      }
    });
  });
}
