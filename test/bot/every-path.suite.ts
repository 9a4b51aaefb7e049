/**
 * Every step, every option and every ending of the troubleshooting machine, driven through the
 * real bot by pressing the button whose value carries the path's event. Run once per language by
 * every-path.<lang>.test.ts (two files, so the two languages run in parallel workers).
 *
 * Which paths: the golden paths (src/replay/golden-paths.ts: every simple path within a topic,
 * plus one path through each "see also" link), the same set the golden transcripts record. The
 * 669 simple paths across links repeat the same steps and buttons in other orders; the bot renders
 * a step from the step alone, so they add turns, not behaviour. All 669 still run against the
 * machine in test/flows/troubleshooting.paths.test.ts, and the first test here proves the bot's
 * paths take every transition and reach every ending (final state and outcome) that any of them does.
 *
 * At each turn: no raw key, nothing in the other language, the question's messages and exactly
 * its option buttons plus Back / Start over (on the main menu: agent and the other language).
 * At the end: the closing message and the optional rating (resolved, once the customer said at
 * "has this solved your problem?" that it did; a "no" there goes on with the remaining checks, each
 * way a path here) or the explanation and the first identity question (handoff).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInitialSnapshot, getNextSnapshot } from 'xstate';
import type { FlowOutcome } from '../../flows/outcome.js';
import { MAIN_MENU_ID, pathStateKey, QUESTION_STEP_IDS, troubleshootingMachine, type TroubleshootingEvent } from '../../flows/troubleshooting/index.js';
import { goldenPaths } from '../../src/replay/golden-paths.js';
import { everyPath, stepOf, type Snapshot } from '../flows/troubleshooting-harness.js';
import { BotHarness, type SeenReply } from '../helpers/bot-harness.js';
import { explanationText, offerOf } from '../helpers/handoff-texts.js';
import { answerButton, askedStep, LOCALE_OF, metaOf, questionProblems, replyProblems, shows, stepTexts, type Lang } from '../helpers/reply-checks.js';

interface PathCase {
  readonly name: string;
  readonly turns: readonly { readonly event: TroubleshootingEvent; readonly after: Snapshot }[];
}

const caseOf = (events: readonly TroubleshootingEvent[]): PathCase => {
  let snapshot = getInitialSnapshot(troubleshootingMachine);
  const turns = events.map((event) => ({ event, after: (snapshot = getNextSnapshot(troubleshootingMachine, snapshot, event)) }));
  return { name: turns.map((t) => t.event.type).join(' → '), turns };
};

/** The paths driven through the bot. */
const CASES: readonly PathCase[] = goldenPaths(troubleshootingMachine, MAIN_MENU_ID, pathStateKey as (s: unknown) => string).map((p) =>
  caseOf(p.steps.map((s) => ({ type: s.event }) as TroubleshootingEvent)),
);

/** Every path of the flows test (everyPath: each simple path, and each way on after "not solved"), for the coverage check only. */
function allSimplePaths(): PathCase[] {
  return everyPath().map(caseOf);
}

/** Every state id, transition and ending (final step and outcome) the paths cover, to prove the set is complete. */
export function coverage(cases: readonly PathCase[] = CASES): { states: Set<string>; transitions: Set<string>; endings: Set<string> } {
  const states = new Set<string>();
  const transitions = new Set<string>();
  const endings = new Set<string>();
  for (const c of cases) {
    let from = MAIN_MENU_ID;
    states.add(from);
    for (const turn of c.turns) {
      const to = stepOf(turn.after)?.id ?? JSON.stringify(turn.after.value);
      states.add(to);
      transitions.add(`${from} --${turn.event.type}--> ${to}`);
      if (turn.after.status === 'done') endings.add(`${to} ${JSON.stringify(turn.after.output)}`);
      from = to;
    }
  }
  return { states, transitions, endings };
}

export function describeEveryPath(lang: Lang): void {
  describe(`every troubleshooting step, option and ending through the bot (${lang}, ${CASES.length} paths)`, () => {
    let harness: BotHarness;
    beforeAll(() => {
      harness = new BotHarness({ locale: LOCALE_OF[lang] });
    });
    afterAll(() => harness.close());

    const expectClean = (replies: readonly SeenReply[], where: string) => {
      expect(replyProblems(replies, lang), where).toEqual([]);
    };

    it('covers every step, every transition the options offer and every ending of all simple paths', () => {
      const { states, transitions, endings } = coverage();
      const all = coverage(allSimplePaths());
      expect(all.transitions.size).toBeGreaterThan(100);
      expect([...all.states].filter((id) => !states.has(id))).toEqual([]);
      expect([...all.transitions].filter((t) => !transitions.has(t))).toEqual([]);
      expect([...all.endings].filter((e) => !endings.has(e))).toEqual([]);
      const questionIds = [MAIN_MENU_ID, ...QUESTION_STEP_IDS];
      for (const id of questionIds) expect(states, id).toContain(id);
      // Every option of every question is a transition some path takes.
      for (const id of questionIds) {
        for (const o of metaOf(id).options) expect([...transitions].some((t) => t.startsWith(`${id} --${o.event}-->`)), `${id} ${o.event}`).toBe(true);
      }
      // Walking some 2,600 paths on the machine takes a few seconds alone, many more beside the other language's file.
    }, 90_000);

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
          // An informational topic closes with "anything else?", a fix with "glad that's sorted".
          expect(shows(replies, t(metaOf(finalId).closing ?? 'common:resolvedClosing')), `${where}: closing`).toBe(true);
          // Issue 18: reached after "has this solved it?" answered yes; the optional rating comes last, beside the menu.
          expect(c.turns[i - 1] && metaOf(stepOf(c.turns[i - 1]!.after)!.id).resolvedEnding, `${where}: confirmed by the customer`).toBe(true);
          expect(replies.at(-1)!.text, `${where}: the rating question`).toBe(t('common:rating.question'));
          expect(replies.at(-1)!.buttons, `${where}: ratings and a way back to the menu`).toEqual(['1', '2', '3', '4', '5', t('common:buttons.menu')]);
        } else {
          const reason = outcome.reason;
          const explanation = explanationText(t, reason);
          const offer = offerOf(t, reason);
          let last = replies.at(-1)!;
          if (offer) {
            // Issue 15: asked first (start the procedure now? / a question or the procedure?), the
            // support contact beside it; the explanation comes before "start now?", after "a question?".
            expect(last.text, `${where}: asked before the procedure`).toBe(offer.text);
            expect(last.buttons, `${where}: start or not`).toEqual([offer.start, offer.decline]);
            expect(shows(replies, explanation), `${where}: why a person is needed`).toBe(offer.offer === 'startNow');
            expect(shows(replies, t('handoff:secretsNotice')), `${where}: no secrets notice before the procedure`).toBe(false);
            replies = await harness.press(replies, offer.start, { conversation });
            expectClean(replies, `${where}: start`);
            if (offer.offer === 'contactOrProcedure') expect(shows(replies, explanation), `${where}: why identity is needed`).toBe(true);
          } else {
            expect(shows(replies, explanation), `${where}: why a person is needed`).toBe(true);
          }
          expect(shows(replies, t('handoff:secretsNotice')), `${where}: secrets notice`).toBe(true);
          // The 'test' channel renders no Adaptive Cards: identity is asked one field at a time.
          last = replies.at(-1)!;
          expect(last.text, `${where}: the first identity question`).toBe(t('identity:ask.email'));
          expect(last.buttons, `${where}: the identity question can be cancelled`).toEqual([t('identity:options.cancel.label')]);
        }
      }
    });
  });
}
