/**
 * What a "no" to "has this solved your problem?" leads to: the checks of the branch the customer
 * resolved in that they have not seen yet (in the guide's order), then the branch's own "support
 * can help" step, or a person when the branch has none. Read off the trail, so the machine keeps
 * no other data for it.
 */
import type { StepId } from './steps.js';

/** The checks of one branch of the guide, in its order, and the step offering a person once they are done. */
export interface CheckBranch {
  readonly checks: readonly StepId[];
  readonly exhausted: StepId;
}

/**
 * Every branch whose checks can each end in "that worked". Steps that resolve outside these (a
 * restored backup, codes arriving on a new phone) have no further check: a "no" there goes to a person.
 */
export const CHECK_BRANCHES: readonly CheckBranch[] = [
  { checks: ['codeRejectedOtherService', 'codeRejectedExpired', 'codeRejectedBrowser'], exhausted: 'codeRejectedUnresolved' },
  {
    checks: ['smsNotReceivedMethodSetting', 'smsNotReceivedSignal', 'smsNotReceivedAirplaneMode', 'smsNotReceivedOtherSms'],
    exhausted: 'smsNotReceivedUnresolved',
  },
  { checks: ['callNotReceivedSignal', 'callNotReceivedTimeSignal', 'callNotReceivedAirplaneMode'], exhausted: 'callNotReceivedUnresolved' },
  // One direction of a method change is one check: another direction is not a remedy for this one.
  ...(['changeMethodSmsToApp', 'changeMethodAppToVoice', 'changeMethodVoiceToSms', 'changeMethodAppToSms', 'changeMethodSmsToVoice', 'changeMethodVoiceToApp'] as const).map(
    (step) => ({ checks: [step], exhausted: 'changeMethodUnresolved' }) as const,
  ),
  { checks: ['phoneReplacementAppScan'], exhausted: 'phoneReplacementUnresolved' },
];

/** The questions asking "has this solved it?" (after a fix, after advice). */
export const CONFIRM_STEP_IDS = ['resolvedConfirm', 'informedConfirm'] as const satisfies readonly StepId[];

/** Every check of every branch (the targets "more checks" may lead to). */
export const ALL_CHECKS: readonly StepId[] = CHECK_BRANCHES.flatMap((b) => b.checks);

/** Every branch's last step (the targets a "no" leads to when no check is left). */
export const BRANCH_ENDS: readonly StepId[] = [...new Set(CHECK_BRANCHES.map((b) => b.exhausted))];

/** The step the customer answered "it worked" at: the one before the last "has this solved it?" in the trail. */
export function resolvingStep(trail: readonly string[]): string | undefined {
  for (let i = trail.length - 1; i > 0; i--) {
    if ((CONFIRM_STEP_IDS as readonly string[]).includes(trail[i]!)) return trail[i - 1];
  }
  return undefined;
}

/** The branch the customer resolved in, if it is one with checks. */
export function branchOf(trail: readonly string[]): CheckBranch | undefined {
  const step = resolvingStep(trail);
  return step === undefined ? undefined : CHECK_BRANCHES.find((b) => (b.checks as readonly string[]).includes(step));
}

/** That branch's checks the customer has not seen yet, in the guide's order. */
export function remainingChecks(trail: readonly string[]): StepId[] {
  const branch = branchOf(trail);
  return branch ? branch.checks.filter((c) => !trail.includes(c)) : [];
}

/** The steps whose way on depends on the trail (what a "no" or "more checks" leads to). */
const TRAIL_ROUTED: ReadonlySet<string> = new Set([...CONFIRM_STEP_IDS, 'notSolvedMoreChecks']);

/**
 * A snapshot's key for walking every path (xstate/graph `serializeState`): its state value, and at
 * the steps routed by the trail, the route the trail gives (remaining checks, the branch's end). The
 * whole trail would make every visit a new vertex and the graph infinite through "see also" links.
 */
export function pathStateKey(snapshot: { readonly value: unknown; readonly context: { readonly trail: readonly string[] } }): string {
  const value = JSON.stringify(snapshot.value);
  if (typeof snapshot.value !== 'string' || !TRAIL_ROUTED.has(snapshot.value)) return value;
  const trail = snapshot.context.trail;
  // Only what decides the way on: whether checks remain and which comes first, else the branch's end.
  return JSON.stringify([snapshot.value, remainingChecks(trail)[0] ?? branchOf(trail)?.exhausted ?? null]);
}
