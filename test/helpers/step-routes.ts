/**
 * The shortest way to every step of the troubleshooting machine by pressing offered options,
 * and a helper that walks a conversation there through the bot with button presses.
 */
import { getInitialSnapshot, getNextSnapshot } from 'xstate';
import { MAIN_MENU_ID, troubleshootingMachine, type TroubleshootingEvent } from '../../flows/troubleshooting/index.js';
import { optionEvents, stepOf, type Snapshot } from '../flows/troubleshooting-harness.js';
import type { BotHarness, SeenReply } from './bot-harness.js';
import { answerButton } from './reply-checks.js';

export interface StepRoute {
  readonly step: string;
  /** Option events from the main menu, in order. */
  readonly events: readonly TroubleshootingEvent[];
  /** The steps shown on the way, main menu first, ending with `step`. */
  readonly visited: readonly string[];
}

/** Breadth-first over the options each step offers: one shortest route per step (main menu included). */
export function routesToEveryStep(): Map<string, StepRoute> {
  const routes = new Map<string, StepRoute>([[MAIN_MENU_ID, { step: MAIN_MENU_ID, events: [], visited: [MAIN_MENU_ID] }]]);
  const queue: { snapshot: Snapshot; route: StepRoute }[] = [{ snapshot: getInitialSnapshot(troubleshootingMachine), route: routes.get(MAIN_MENU_ID)! }];
  while (queue.length > 0) {
    const { snapshot, route } = queue.shift()!;
    for (const event of optionEvents(snapshot)) {
      const next = getNextSnapshot(troubleshootingMachine, snapshot, event);
      if (next.status !== 'active') continue;
      const id = stepOf(next)?.id;
      if (!id || routes.has(id)) continue;
      const r: StepRoute = { step: id, events: [...route.events, event], visited: [...route.visited, id] };
      routes.set(id, r);
      queue.push({ snapshot: next, route: r });
    }
  }
  return routes;
}

/**
 * Joins a conversation and presses the buttons of `route`; returns the replies of the last turn
 * (the step's question). Throws if a button is missing, so a broken route fails loudly.
 */
export async function walk(harness: BotHarness, route: StepRoute, conversationId: string, extra: Record<string, unknown> = {}): Promise<SeenReply[]> {
  const conversation = { id: conversationId } as never;
  let replies = await harness.join({ conversation, ...extra });
  for (const [i, event] of route.events.entries()) {
    const step = route.visited[i]!;
    const button = answerButton(replies, step, event.type);
    if (!button) throw new Error(`no button for ${event.type} at ${step}: ${JSON.stringify(replies.map((r) => r.buttons))}`);
    replies = await harness.say({ value: button.value, text: button.title }, { conversation, ...extra });
  }
  return replies;
}
