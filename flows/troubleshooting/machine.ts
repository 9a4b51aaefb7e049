/**
 * The 2FA troubleshooting tree of the guide (../shared/seed/000_97f9ab632d146300.txt) as a pure
 * XState machine. One state per node of the guide, nested by its sections; states name locale
 * keys in `meta` and never hold text. Every path ends in a final state whose output is a
 * FlowOutcome: resolved, or a handoff with the reason a person must take over. A fix or a piece of
 * advice is a resolved ending only once the customer says it solved the problem (`resolvedConfirm`,
 * `informedConfirm`); "no" goes on with the branch's remaining checks, then a person (branches.ts).
 *
 * Longer than 250 lines because it is the whole guide as one state tree, read top to bottom as
 * the guide is; steps, options and topics already live in files of their own.
 */
import { assign, setup } from 'xstate';
import type { FlowOutcome, HandoffReason } from '../outcome.js';
import type { StepMeta } from '../step-meta.js';
import { TOPICS, type Method, type Topic, type TroubleshootingEvent } from './events.js';
import { ALL_CHECKS, BRANCH_ENDS, branchOf, remainingChecks } from './branches.js';
import { OPTIONS as O } from './options.js';
import { ask, MAIN_MENU_ID, QUESTION_STEP_IDS, SECTIONS as S, stepMeta, TOPIC_START, type StepId } from './steps.js';

/**
 * Tags persisted snapshots. Bump it whenever state ids or structure change: an old snapshot
 * would not load into the new machine, and the session restarts politely instead.
 */
export const TROUBLESHOOTING_FLOW_VERSION = 4;

/** How many visited questions the trail keeps (enough for a ticket, small in storage). */
export const TRAIL_LIMIT = 50;

/** The machine's only data: the questions visited, oldest first (for back and for tickets). */
export interface TroubleshootingContext {
  readonly trail: StepId[];
  /**
   * "Does the number change?" when the customer already said so in free text before the method
   * was known ("switching phones, keeping my number"): asked again it would feel like not listening.
   */
  readonly numberChanges?: boolean | undefined;
  /**
   * The number has already changed (said in free text before the method was known, "new phone,
   * my number already changed"): SMS or call users go straight to the number-changed handoff.
   */
  readonly numberAlreadyChanged?: boolean | undefined;
}

/** Slot values a `topic.jump` must carry for a row of {@link TOPIC_JUMPS} to apply; absent = any. */
export interface JumpPattern {
  readonly topic: Topic;
  readonly from?: Method;
  readonly to?: Method;
  readonly method?: Method;
  readonly numberChanges?: boolean;
  readonly numberAlreadyChanged?: boolean;
  readonly hasBackup?: boolean;
}

/** The steps of each direction of a method change (section 3). */
const CHANGE_STEPS: Readonly<Record<Method, Partial<Record<Method, StepId>>>> = {
  sms: { app: 'changeMethodSmsToApp', voice: 'changeMethodSmsToVoice' },
  app: { sms: 'changeMethodAppToSms', voice: 'changeMethodAppToVoice' },
  voice: { sms: 'changeMethodVoiceToSms', app: 'changeMethodVoiceToApp' },
};

/** "Which method do you want?" per current method. */
const CHANGE_TARGET_QUESTION: Readonly<Record<Method, StepId>> = {
  sms: 'changeMethodFromSms',
  app: 'changeMethodFromApp',
  voice: 'changeMethodFromVoice',
};

/**
 * The handoffs a `topic.jump` may lead to straight away: the number has already changed, or the
 * customer already said there is no backup (「バックアップしないでアプリ消しちゃいました」).
 */
type JumpEnding = { readonly handoff: Extract<HandoffReason, 'phone_number_changed' | 'app_lost_no_backup' | 'phone_lost_no_backup'> };
const NUMBER_CHANGED_ENDING: JumpEnding = { handoff: 'phone_number_changed' };

/**
 * Where a `topic.jump` leads, most specific first: slots the customer already gave skip the
 * questions they answer. The last rows (topic only) always match.
 */
export const TOPIC_JUMPS: ReadonlyArray<{ readonly when: JumpPattern; readonly to: StepId | JumpEnding }> = [
  ...(['sms', 'app', 'voice'] as const).flatMap((from) =>
    Object.entries(CHANGE_STEPS[from]).map(([to, step]) => ({ when: { topic: 'changeMethod', from, to: to as Method }, to: step! }) as const),
  ),
  ...(['sms', 'app', 'voice'] as const).map((from) => ({ when: { topic: 'changeMethod', from }, to: CHANGE_TARGET_QUESTION[from] }) as const),
  // "No backup" already said: the question it answers is skipped (its "no" leads to the same place).
  { when: { topic: 'appDeleted', hasBackup: false }, to: { handoff: 'app_lost_no_backup' } },
  { when: { topic: 'phoneReplacement', method: 'app', hasBackup: false }, to: 'phoneReplacementOldApp' },
  { when: { topic: 'phoneReplacement', method: 'app' }, to: 'phoneReplacementAppBackup' },
  ...(['sms', 'voice'] as const).flatMap((method) => [
    // Codes by SMS or call to a number that has already changed: only an agent can update it (the
    // `numberAlreadyChanged` option of the switch-to-app step, said in free text). Without a
    // method the question comes first; the answer then leads here (numberChangeRoute).
    { when: { topic: 'phoneReplacement', method, numberAlreadyChanged: true }, to: NUMBER_CHANGED_ENDING } as const,
    { when: { topic: 'phoneReplacement', method, numberChanges: false }, to: 'phoneReplacementNoChangeNeeded' } as const,
    { when: { topic: 'phoneReplacement', method, numberChanges: true }, to: 'phoneReplacementSwitchToApp' } as const,
    { when: { topic: 'phoneReplacement', method }, to: 'phoneReplacementNumberChanges' } as const,
  ]),
  { when: { topic: 'phoneLostOrBroken', method: 'app', hasBackup: false }, to: { handoff: 'phone_lost_no_backup' } },
  { when: { topic: 'phoneLostOrBroken', method: 'app' }, to: 'phoneLostHasBackup' },
  // "Is the number the same?" already answered no (phoneLostSameNumber → the same ending).
  { when: { topic: 'phoneLostOrBroken', numberAlreadyChanged: true }, to: NUMBER_CHANGED_ENDING },
  { when: { topic: 'phoneLostOrBroken', method: 'sms' }, to: 'phoneLostSameNumber' },
  { when: { topic: 'phoneLostOrBroken', method: 'voice' }, to: 'phoneLostSameNumber' },
  ...TOPICS.map((topic) => ({ when: { topic }, to: TOPIC_START[topic] })),
];

/**
 * How each handoff reason ends the tree, in one table: its final state, the locale key stem of its
 * explanation, and the guide's section it comes from.
 */
const HANDOFF_ENDINGS: Readonly<Record<HandoffReason, { readonly state: string; readonly message: string; readonly section: string }>> = {
  app_lost_no_backup: { state: 'handoffAppLostNoBackup', message: 'handoff.appLostNoBackup', section: S.appDeleted },
  phone_lost_no_backup: { state: 'handoffPhoneLostNoBackup', message: 'handoff.phoneLostNoBackup', section: S.backup },
  login_lockout: { state: 'handoffLoginLockout', message: 'handoff.loginLockout', section: S.lockout },
  phone_number_changed: { state: 'handoffPhoneNumberChanged', message: 'handoff.phoneNumberChanged', section: S.phoneLost },
  registered_number_wrong: { state: 'handoffRegisteredNumberWrong', message: 'handoff.registeredNumberWrong', section: S.callNotReceived },
  customer_requested: { state: 'handoffCustomerRequested', message: 'handoff.customerRequested', section: S.summary },
};

/** The final state of each handoff reason (a view of {@link HANDOFF_ENDINGS} for the desk and tests). */
export const HANDOFF_STATE_IDS = Object.fromEntries(
  Object.entries(HANDOFF_ENDINGS).map(([reason, ending]) => [reason, ending.state]),
) as Readonly<Record<HandoffReason, string>>;

/** A final state handing the conversation to a person, with its reason as output. */
function handoff(reason: HandoffReason) {
  const output: FlowOutcome = { kind: 'handoff', reason };
  return {
    type: 'final',
    id: HANDOFF_ENDINGS[reason].state,
    description: `${HANDOFF_ENDINGS[reason].section} — handoff: ${reason}`,
    // The "we never ask for secrets" notice is the engine's, shown once per conversation at handoff.
    meta: stepMeta(HANDOFF_ENDINGS[reason].section, [HANDOFF_ENDINGS[reason].message], []),
    output,
  } as const;
}

/** SMS/voice on a new phone: skip "does the number change?" when the customer already said. */
function numberChangeRoute() {
  return [
    { guard: 'numberAlreadyChanged' as const, target: toHandoff('phone_number_changed') },
    { guard: { type: 'numberChangeIs', params: { changes: true } } as const, target: to('phoneReplacementSwitchToApp') },
    { guard: { type: 'numberChangeIs', params: { changes: false } } as const, target: to('phoneReplacementNoChangeNeeded') },
    { target: to('phoneReplacementNumberChanges') },
  ];
}

/**
 * "Not solved" at a resolved ending: offer the branch's checks not seen yet; with none left, the
 * branch's own "support can help" step; without a branch (a restored backup, advice), a person.
 */
const NOT_SOLVED_ROUTE = [
  { guard: 'hasRemainingChecks' as const, target: `#notSolvedMoreChecks` as const },
  ...BRANCH_ENDS.map((stepId) => ({ guard: { type: 'branchEndsAt', params: { stepId } } as const, target: `#${stepId}` as const })),
  { target: '#notSolved' as const },
];

/** A resolved ending: "has this solved your problem?" (`meta.resolvedEnding`), answered yes or no. */
function confirmStep(stepId: 'resolvedConfirm' | 'informedConfirm', what: string, prompt: string) {
  const base = ask(stepId, S.summary, what, [prompt], [O.solved, O.notSolved]);
  return { ...base, meta: { ...base.meta, resolvedEnding: true as const } };
}

/** `#id` target of a step (question, main menu or `resolved`). */
const to = (id: StepId | 'resolved' | 'informed' | typeof MAIN_MENU_ID): `#${string}` => `#${id}`;
const toHandoff = (reason: HandoffReason): `#${string}` => `#${HANDOFF_ENDINGS[reason].state}`;

const cap = (m: Method): string => m.charAt(0).toUpperCase() + m.slice(1);

/**
 * Section 3: the three numbered steps for one direction, then "did it work?". The guide describes
 * three directions (SMS → app → phone → SMS); the other three are `extrapolated`: the same
 * pattern, told without the screen and button names the guide never gave for them.
 */
function changeSteps(from: Method, target: Method, section: string) {
  const id = CHANGE_STEPS[from][target];
  if (!id) throw new Error(`no change steps from ${from} to ${target}`);
  const toApp = target === 'app';
  const extrapolated = section === S.changeOther;
  const steps = extrapolated
    ? ['changeMethod.other.note', `changeMethod.other.request${cap(target)}`, `changeMethod.other.confirm${cap(from)}`, `changeMethod.other.set${cap(target)}`]
    : [`changeMethod.steps.request${cap(target)}`, `changeMethod.steps.confirm${cap(from)}`, `changeMethod.steps.set${cap(target)}`];
  const base = ask(
    id,
    section,
    `steps to change from ${from} to ${target}${extrapolated ? ' (extrapolated: not described by the guide)' : ''}`,
    [
      'changeMethod.steps.open',
      `changeMethod.steps.shows${cap(from)}`,
      ...steps,
      ...(toApp ? ['changeMethod.steps.backupNote'] : []),
      'changeMethod.steps.prompt',
    ],
    toApp ? [O.worked, O.notWorked, O.backup] : [O.worked, O.notWorked],
  );
  const meta = extrapolated ? { ...base, meta: { ...base.meta, extrapolated: true as const } } : base;
  return {
    ...meta,
    on: {
      'answer.yes': to('resolvedConfirm'),
      'answer.no': to('changeMethodUnresolved'),
      // Only offered (as an option) on the way to the app, where the guide links to the backup section.
      ...(toApp ? { 'topic.backup': to('backupMethods') } : {}),
    },
  };
}

/** "Which method is set now?" (section 3), asked again after "not sure". */
const CHANGE_CURRENT_ON = {
  'choose.sms': to('changeMethodFromSms'),
  'choose.app': to('changeMethodFromApp'),
  'choose.voice': to('changeMethodFromVoice'),
  'answer.cannotLogIn': to('changeMethodCannotLogIn'),
} as const;

/** "Which method do you use?" when the phone is lost (4-2 ①), asked again after "not sure". */
const PHONE_LOST_METHOD_ON = {
  'choose.app': to('phoneLostHasBackup'),
  'choose.sms': to('phoneLostSameNumber'),
  'choose.voice': to('phoneLostSameNumber'),
} as const;

/** "Which method do you use?" before a new phone (section 5), asked again after "not sure". */
const phoneReplacementMethodOn = () => ({
  'choose.sms': numberChangeRoute(),
  'choose.voice': numberChangeRoute(),
  'choose.app': to('phoneReplacementAppBackup'),
});

/** Transitions of the topic options some steps offer ("see also"). */
const topicLinks = (...topics: Topic[]) =>
  Object.fromEntries(topics.map((t) => [`topic.${t}`, to(TOPIC_START[t])])) as Partial<Record<`topic.${Topic}`, `#${string}`>>;

/**
 * The troubleshooting flow. Answer events (`answer.*`, `choose.*`, `topic.<id>`) come from the
 * options in each state's meta; `flow.restart`, `flow.back`, `agent.requested` and `topic.jump`
 * are accepted everywhere.
 */
export const troubleshootingMachine = setup({
  types: {
    context: {} as TroubleshootingContext,
    events: {} as TroubleshootingEvent,
    output: {} as FlowOutcome,
    meta: {} as StepMeta,
  },
  actions: {
    /** Appends a question to the trail; re-entering the last one (after back) does not repeat it. */
    recordStep: assign({
      trail: ({ context }, params: { stepId: StepId }) =>
        context.trail.at(-1) === params.stepId ? context.trail : [...context.trail, params.stepId].slice(-TRAIL_LIMIT),
    }),
    popStep: assign({ trail: ({ context }) => context.trail.slice(0, -1) }),
    clearTrail: assign({ trail: () => [], numberChanges: () => undefined, numberAlreadyChanged: () => undefined }),
    /** Keeps a jump's number-change slot for the phone-replacement questions that follow. */
    rememberNumberChange: assign({
      numberChanges: ({ event }) => (event.type === 'topic.jump' && event.topic === 'phoneReplacement' ? event.slots?.numberChanges : undefined),
      numberAlreadyChanged: ({ event }) =>
        event.type === 'topic.jump' && event.topic === 'phoneReplacement' && event.slots?.numberAlreadyChanged === true ? true : undefined,
    }),
  },
  guards: {
    /** The customer already said whether the number changes (true or false). */
    numberChangeIs: ({ context }, params: { changes: boolean }) => context.numberChanges === params.changes,
    /** The customer already said the number has changed (past tense). */
    numberAlreadyChanged: ({ context }) => context.numberAlreadyChanged === true,
    /** The branch resolved in has checks the customer has not seen. */
    hasRemainingChecks: ({ context }) => remainingChecks(context.trail).length > 0,
    /** The first of those checks (in the guide's order) is this one. */
    nextCheckIs: ({ context }, params: { stepId: StepId }) => remainingChecks(context.trail)[0] === params.stepId,
    /** The branch resolved in ends (all checks seen) at this step. */
    branchEndsAt: ({ context }, params: { stepId: StepId }) => branchOf(context.trail)?.exhausted === params.stepId,
    /** The back router's test: is this the question to return to? */
    isLastStep: ({ context }, params: { stepId: StepId }) => context.trail.at(-1) === params.stepId,
    /** Does a `topic.jump` carry this topic and (where the pattern names them) these slots? */
    jumpMatches: ({ event }, p: JumpPattern) =>
      event.type === 'topic.jump' &&
      event.topic === p.topic &&
      (p.from === undefined || event.slots?.from === p.from) &&
      (p.to === undefined || event.slots?.to === p.to) &&
      (p.method === undefined || event.slots?.method === p.method) &&
      (p.numberChanges === undefined || event.slots?.numberChanges === p.numberChanges) &&
      (p.numberAlreadyChanged === undefined || event.slots?.numberAlreadyChanged === p.numberAlreadyChanged) &&
      (p.hasBackup === undefined || event.slots?.hasBackup === p.hasBackup),
  },
}).createMachine({
  id: 'troubleshooting',
  description: 'The guide «GMOコインの二段階認証ガイド» as a troubleshooting tree.',
  context: { trail: [] },
  initial: MAIN_MENU_ID,
  output: ({ event }) => event.output as FlowOutcome,
  on: {
    'flow.restart': { target: `.${MAIN_MENU_ID}`, actions: 'clearTrail' },
    'flow.back': { target: '.backRouter', actions: 'popStep' },
    'agent.requested': toHandoff('customer_requested'),
    'topic.jump': TOPIC_JUMPS.map(({ when, to: step }) => ({
      guard: { type: 'jumpMatches', params: when } as const,
      target: typeof step === 'string' ? to(step) : toHandoff(step.handoff),
      actions: 'rememberNumberChange' as const,
    })),
  },
  states: {
    mainMenu: {
      id: MAIN_MENU_ID,
      description: `${S.menu} — choose a topic`,
      meta: stepMeta(S.menu, ['mainMenu.prompt'], TOPICS.map((t) => O[t])),
      on: {
        'topic.methodsOverview': to('methodsOverview'),
        'topic.codeRejected': to('codeRejectedOtherService'),
        'topic.appDeleted': to('appDeletedHasBackup'),
        'topic.smsNotReceived': to('smsNotReceivedMethodSetting'),
        'topic.callNotReceived': to('callNotReceivedRegisteredNumber'),
        'topic.changeMethod': to('changeMethodCurrent'),
        'topic.backup': to('backupMethods'),
        'topic.phoneLostOrBroken': to('phoneLostMethod'),
        'topic.lockout': to('lockoutMessageShown'),
        'topic.phoneReplacement': to('phoneReplacementMethod'),
      },
    },

    /** Returns to the question before the current one; `flow.back` pops the trail first. */
    backRouter: {
      description: 'Transient router for flow.back: goes to the last question left in the trail, or the main menu.',
      always: [
        ...QUESTION_STEP_IDS.map((stepId) => ({ guard: { type: 'isLastStep', params: { stepId } } as const, target: to(stepId) })),
        { target: to(MAIN_MENU_ID) },
      ],
    },

    methods: {
      description: S.methods,
      initial: 'methodsOverview',
      states: {
        methodsOverview: {
          ...ask(
            'methodsOverview',
            S.methods,
            'the three methods and how to choose',
            ['methodsOverview.types', 'methodsOverview.phoneNumber', 'methodsOverview.tablet', 'methodsOverview.prompt'],
            [O.understood, O.changeMethod],
          ),
          on: { 'answer.ok': to('informedConfirm'), ...topicLinks('changeMethod') },
        },
      },
    },

    solving: {
      description: S.solving,
      initial: 'codeRejected',
      states: {
        codeRejected: {
          description: S.codeRejected,
          initial: 'otherService',
          states: {
            otherService: {
              ...ask(
                'codeRejectedOtherService',
                S.codeRejected,
                "check 1: another service's code?",
                // The guide opens with the warning: repeated tries lock the login (4-2 ②). Warn first, then check.
                ['codeRejected.caution', 'codeRejected.intro', 'codeRejected.otherService.check', 'codeRejected.otherService.detail', 'codeRejected.loggedIn'],
                [O.worked, O.notWorked],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('codeRejectedExpired') },
            },
            expired: {
              ...ask(
                'codeRejectedExpired',
                S.codeRejected,
                'check 2: code expired (about 60 s)?',
                ['codeRejected.expired.check', 'codeRejected.expired.detail', 'codeRejected.loggedIn'],
                [O.worked, O.notWorked],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('codeRejectedBrowser') },
            },
            browser: {
              ...ask(
                'codeRejectedBrowser',
                S.codeRejected,
                'check 3: outdated browser?',
                ['codeRejected.browser.check', 'codeRejected.browser.detail', 'codeRejected.loggedIn'],
                [O.worked, O.notWorked],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('codeRejectedUnresolved') },
            },
            unresolved: {
              ...ask(
                'codeRejectedUnresolved',
                S.codeRejected,
                'checks exhausted: support, or lockout if the login is restricted',
                ['unresolved.message', 'codeRejected.unresolved.prompt'],
                [O.talkToAgent, O.lockout],
              ),
              on: topicLinks('lockout'),
            },
          },
        },

        appDeleted: {
          description: S.appDeleted,
          initial: 'hasBackup',
          states: {
            hasBackup: {
              ...ask(
                'appDeletedHasBackup',
                S.appDeleted,
                'was the key or QR code backed up?',
                ['appDeleted.hasBackup.warning', 'appDeleted.hasBackup.prompt'],
                [O.yes, O.no],
              ),
              on: { 'answer.yes': to('appDeletedRestore'), 'answer.no': toHandoff('app_lost_no_backup') },
            },
            restore: {
              ...ask(
                'appDeletedRestore',
                S.appDeleted,
                'restore the app from the backup',
                [
                  'appDeleted.restore.intro',
                  'appDeleted.restore.install',
                  'appDeleted.restore.scan',
                  'appDeleted.restore.login',
                  'appDeleted.restore.prompt',
                ],
                [O.worked, O.restoreFailed, O.codeRejected],
              ),
              on: {
                'answer.yes': to('resolvedConfirm'),
                // A backup that cannot be restored is no backup: support must change the method.
                'answer.restoreFailed': toHandoff('app_lost_no_backup'),
                ...topicLinks('codeRejected'),
              },
            },
          },
        },

        smsNotReceived: {
          description: S.smsNotReceived,
          initial: 'methodSetting',
          states: {
            methodSetting: {
              ...ask(
                'smsNotReceivedMethodSetting',
                S.smsNotReceived,
                'check 1: method set to something other than SMS?',
                ['smsNotReceived.intro', 'smsNotReceived.methodSetting.check', 'smsNotReceived.methodSetting.detail', 'smsNotReceived.received'],
                [O.arrived, O.notArrived],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('smsNotReceivedSignal') },
            },
            signal: {
              ...ask(
                'smsNotReceivedSignal',
                S.smsNotReceived,
                'check 2: poor signal?',
                ['smsNotReceived.signal.check', 'smsNotReceived.signal.detail', 'smsNotReceived.received'],
                [O.arrived, O.notArrived],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('smsNotReceivedAirplaneMode') },
            },
            airplaneMode: {
              ...ask(
                'smsNotReceivedAirplaneMode',
                S.smsNotReceived,
                'check 3: airplane mode? (mobile network needed)',
                ['smsNotReceived.airplaneMode.check', 'smsNotReceived.airplaneMode.detail', 'smsNotReceived.received'],
                [O.arrived, O.notArrived],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('smsNotReceivedOtherSms') },
            },
            otherSms: {
              ...ask(
                'smsNotReceivedOtherSms',
                S.smsNotReceived,
                'check 4: do other SMS arrive?',
                ['smsNotReceived.otherSms.check', 'smsNotReceived.otherSms.detail', 'smsNotReceived.received'],
                [O.arrived, O.notArrived],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('smsNotReceivedUnresolved') },
            },
            unresolved: {
              ...ask(
                'smsNotReceivedUnresolved',
                S.smsNotReceived,
                'checks exhausted: offer support',
                ['unresolved.message', 'unresolved.prompt'],
                [O.talkToAgent],
              ),
            },
          },
        },

        callNotReceived: {
          description: S.callNotReceived,
          initial: 'registeredNumber',
          states: {
            registeredNumber: {
              ...ask(
                'callNotReceivedRegisteredNumber',
                S.callNotReceived,
                'cause 1: is the registered phone number right?',
                ['callNotReceived.intro', 'callNotReceived.registeredNumber.check', 'callNotReceived.registeredNumber.note', 'callNotReceived.registeredNumber.prompt'],
                [O.yes, O.no],
              ),
              on: { 'answer.yes': to('callNotReceivedSignal'), 'answer.no': toHandoff('registered_number_wrong') },
            },
            signal: {
              ...ask(
                'callNotReceivedSignal',
                S.callNotReceived,
                'cause 2: weak signal or out of range?',
                ['callNotReceived.signal.check', 'callNotReceived.signal.detail', 'callNotReceived.received'],
                [O.callCame, O.callNotYet],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('callNotReceivedTimeSignal') },
            },
            timeSignal: {
              ...ask(
                'callNotReceivedTimeSignal',
                S.callNotReceived,
                'cause 2, checked: call 117 (time signal), the guide\'s example of the signal check',
                ['callNotReceived.timeSignal.check', 'callNotReceived.timeSignal.detail', 'callNotReceived.received'],
                [O.callCame, O.callNotYet],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('callNotReceivedAirplaneMode') },
            },
            airplaneMode: {
              ...ask(
                'callNotReceivedAirplaneMode',
                S.callNotReceived,
                'cause 3: airplane mode?',
                ['callNotReceived.airplaneMode.check', 'callNotReceived.airplaneMode.detail', 'callNotReceived.received'],
                [O.callCame, O.callNotYet],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('callNotReceivedUnresolved') },
            },
            unresolved: {
              ...ask(
                'callNotReceivedUnresolved',
                S.callNotReceived,
                'checks exhausted: offer support',
                ['unresolved.message', 'unresolved.prompt'],
                [O.talkToAgent],
              ),
            },
          },
        },
      },
    },

    changeMethod: {
      description: S.changeMethod,
      initial: 'current',
      states: {
        current: {
          ...ask(
            'changeMethodCurrent',
            S.changeMethod,
            'which method is set now? (changing needs a login)',
            ['changeMethod.intro', 'changeMethod.current.prompt'],
            [O.sms, O.app, O.voice, O.notSure, O.cannotLogIn],
          ),
          on: { ...CHANGE_CURRENT_ON, 'answer.notSure': to('changeMethodFindCurrent') },
        },
        findCurrent: {
          ...ask(
            'changeMethodFindCurrent',
            S.changeMethod,
            'not sure of the current method: the Security page shows it',
            ['changeMethod.findCurrent.message', 'changeMethod.current.prompt'],
            [O.sms, O.app, O.voice, O.cannotLogIn],
          ),
          on: CHANGE_CURRENT_ON,
        },
        cannotLogIn: {
          // まとめ: without a login the method cannot be changed; find the cause or ask support.
          ...ask(
            'changeMethodCannotLogIn',
            S.summary,
            'cannot log in: route to the matching troubleshooting',
            ['changeMethod.cannotLogIn.message', 'changeMethod.cannotLogIn.prompt'],
            [O.codeRejected, O.appDeleted, O.smsNotReceived, O.callNotReceived, O.phoneLostOrBroken, O.lockout, O.talkToAgent],
          ),
          on: topicLinks('codeRejected', 'appDeleted', 'smsNotReceived', 'callNotReceived', 'phoneLostOrBroken', 'lockout'),
        },
        fromSms: {
          ...ask('changeMethodFromSms', S.changeMethod, 'target when SMS is set now', ['changeMethod.target.prompt'], [O.app, O.voice]),
          on: { 'choose.app': to('changeMethodSmsToApp'), 'choose.voice': to('changeMethodSmsToVoice') },
        },
        fromApp: {
          ...ask('changeMethodFromApp', S.changeMethod, 'target when the app is set now', ['changeMethod.target.prompt'], [O.sms, O.voice]),
          on: { 'choose.sms': to('changeMethodAppToSms'), 'choose.voice': to('changeMethodAppToVoice') },
        },
        fromVoice: {
          ...ask('changeMethodFromVoice', S.changeMethod, 'target when phone is set now', ['changeMethod.target.prompt'], [O.sms, O.app]),
          on: { 'choose.sms': to('changeMethodVoiceToSms'), 'choose.app': to('changeMethodVoiceToApp') },
        },
        smsToApp: changeSteps('sms', 'app', S.changeSmsToApp),
        appToVoice: changeSteps('app', 'voice', S.changeAppToVoice),
        voiceToSms: changeSteps('voice', 'sms', S.changeVoiceToSms),
        appToSms: changeSteps('app', 'sms', S.changeOther),
        smsToVoice: changeSteps('sms', 'voice', S.changeOther),
        voiceToApp: changeSteps('voice', 'app', S.changeOther),
        unresolved: {
          ...ask(
            'changeMethodUnresolved',
            S.changeMethod,
            'the change did not work: offer support',
            ['changeMethod.unresolved.message', 'unresolved.codeRejectedHint'],
            [O.talkToAgent, O.codeRejected],
          ),
          on: topicLinks('codeRejected'),
        },
      },
    },

    precautions: {
      description: S.precautions,
      initial: 'backup',
      states: {
        backup: {
          description: S.backup,
          initial: 'methods',
          states: {
            methods: {
              ...ask(
                'backupMethods',
                S.backup,
                'why and how to back up the key or QR code',
                ['backup.methods.why', 'backup.methods.list', 'backup.methods.prompt'],
                [O.next],
              ),
              on: { 'answer.next': to('backupRisks') },
            },
            risks: {
              ...ask(
                'backupRisks',
                S.backup,
                'a leaked backup defeats 2FA; not backing up is an option',
                ['backup.risks.danger', 'backup.risks.optOut', 'backup.risks.noBackupLost', 'backup.risks.prompt'],
                [O.understood, O.lostNoBackup],
              ),
              on: { 'answer.ok': to('informedConfirm'), 'answer.lostNoBackup': toHandoff('phone_lost_no_backup') },
            },
          },
        },

        phoneLostOrBroken: {
          description: S.phoneLost,
          initial: 'method',
          states: {
            method: {
              ...ask(
                'phoneLostMethod',
                S.phoneLost,
                'which method is set?',
                ['phoneLost.method.intro', 'phoneLost.method.prompt'],
                [O.sms, O.app, O.voice, O.notSure],
              ),
              on: { ...PHONE_LOST_METHOD_ON, 'answer.notSure': to('phoneLostFindMethod') },
            },
            findMethod: {
              ...ask(
                'phoneLostFindMethod',
                S.phoneLost,
                'not sure of the method: how the code used to arrive tells',
                ['method.howToFind', 'phoneLost.method.prompt'],
                [O.sms, O.app, O.voice, O.talkToAgent],
              ),
              on: PHONE_LOST_METHOD_ON,
            },
            hasBackup: {
              ...ask('phoneLostHasBackup', S.backup, 'app: is there a backup?', ['phoneLost.hasBackup.prompt'], [O.yes, O.no]),
              on: { 'answer.yes': to('phoneLostRestore'), 'answer.no': toHandoff('phone_lost_no_backup') },
            },
            restore: {
              ...ask(
                'phoneLostRestore',
                S.backup,
                'restore the app on the new phone from the backup',
                ['phoneLost.restore.steps', 'phoneLost.restore.prompt'],
                [O.worked, O.restoreFailed, O.codeRejected],
              ),
              on: {
                'answer.yes': to('resolvedConfirm'),
                // The customer has a backup that will not restore: say so, not "no backup".
                'answer.restoreFailed': '#handoffPhoneLostRestoreFailed',
                ...topicLinks('codeRejected'),
              },
            },
            sameNumber: {
              ...ask(
                'phoneLostSameNumber',
                S.phoneLost,
                'SMS/phone: same number on the new phone?',
                ['phoneLost.sameNumber.why', 'phoneLost.sameNumber.prompt'],
                [O.yes, O.no],
              ),
              on: { 'answer.yes': to('phoneLostReceiveOnNewPhone'), 'answer.no': toHandoff('phone_number_changed') },
            },
            receiveOnNewPhone: {
              ...ask(
                'phoneLostReceiveOnNewPhone',
                S.phoneLost,
                'same number: codes arrive on the new phone',
                ['phoneLost.receiveOnNewPhone.message', 'phoneLost.receiveOnNewPhone.prompt'],
                [O.arrived, O.smsNotReceived, O.callNotReceived],
              ),
              on: { 'answer.yes': to('resolvedConfirm'), ...topicLinks('smsNotReceived', 'callNotReceived') },
            },
          },
        },

        lockout: {
          description: S.lockout,
          initial: 'messageShown',
          states: {
            messageShown: {
              ...ask(
                'lockoutMessageShown',
                S.lockout,
                'is the login restricted after repeated wrong codes?',
                ['lockout.messageShown.explain', 'lockout.messageShown.prompt'],
                [O.yes, O.no],
              ),
              on: { 'answer.yes': toHandoff('login_lockout'), 'answer.no': to('lockoutNotYet') },
            },
            notYet: {
              ...ask(
                'lockoutNotYet',
                S.lockout,
                'not restricted yet: find why the code fails before retrying',
                ['lockout.notYet.message', 'lockout.notYet.prompt'],
                [O.codeRejected, O.talkToAgent],
              ),
              on: topicLinks('codeRejected'),
            },
          },
        },
      },
    },

    phoneReplacement: {
      description: S.phoneReplacement,
      initial: 'method',
      states: {
        method: {
          ...ask(
            'phoneReplacementMethod',
            S.phoneReplacement,
            'which method is set now?',
            ['phoneReplacement.method.intro', 'phoneReplacement.method.prompt'],
            [O.sms, O.app, O.voice, O.notSure],
          ),
          on: { ...phoneReplacementMethodOn(), 'answer.notSure': to('phoneReplacementFindMethod') },
        },
        findMethod: {
          ...ask(
            'phoneReplacementFindMethod',
            S.phoneReplacement,
            'not sure of the method: the Security page, or how the code arrives, tells',
            ['method.howToFind', 'method.securityPage', 'phoneReplacement.method.prompt'],
            [O.sms, O.app, O.voice, O.talkToAgent],
          ),
          on: phoneReplacementMethodOn(),
        },
        numberChanges: {
          ...ask(
            'phoneReplacementNumberChanges',
            S.phoneReplacement,
            'SMS/phone: does the number change?',
            ['phoneReplacement.numberChanges.message', 'phoneReplacement.numberChanges.prompt'],
            [O.yes, O.no],
          ),
          on: { 'answer.yes': to('phoneReplacementSwitchToApp'), 'answer.no': to('phoneReplacementNoChangeNeeded') },
        },
        noChangeNeeded: {
          ...ask(
            'phoneReplacementNoChangeNeeded',
            S.phoneReplacement,
            'same number: nothing to change',
            ['phoneReplacement.noChangeNeeded.message'],
            [O.understood],
          ),
          on: { 'answer.ok': to('informedConfirm') },
        },
        switchToApp: {
          ...ask(
            'phoneReplacementSwitchToApp',
            S.phoneReplacement,
            'number changes: switch to the app and back up the QR code first',
            ['phoneReplacement.switchToApp.before', 'phoneReplacement.switchToApp.after', 'phoneReplacement.switchToApp.prompt'],
            [O.changeMethod, O.numberAlreadyChanged, O.understood],
          ),
          on: {
            ...topicLinks('changeMethod'),
            'answer.numberAlreadyChanged': toHandoff('phone_number_changed'),
            'answer.ok': to('informedConfirm'),
          },
        },
        appBackup: {
          ...ask(
            'phoneReplacementAppBackup',
            S.phoneReplacement,
            'app: the number does not matter; is the QR code backed up?',
            ['phoneReplacement.appBackup.message', 'phoneReplacement.appBackup.prompt'],
            [O.yes, O.no],
          ),
          on: { 'answer.yes': to('phoneReplacementAppScan'), 'answer.no': to('phoneReplacementOldApp') },
        },
        appScan: {
          ...ask(
            'phoneReplacementAppScan',
            S.phoneReplacement,
            'scan the backed-up QR code on the new phone',
            ['phoneReplacement.appScan.steps', 'phoneReplacement.appScan.prompt'],
            [O.worked, O.notWorked],
          ),
          on: { 'answer.yes': to('resolvedConfirm'), 'answer.no': to('phoneReplacementUnresolved') },
        },
        oldApp: {
          ...ask(
            'phoneReplacementOldApp',
            S.phoneReplacement,
            'no backup: does the app on the old phone still work?',
            ['phoneReplacement.oldApp.message', 'phoneReplacement.oldApp.prompt'],
            [O.yes, O.oldAppGone, O.oldPhoneGone],
          ),
          on: {
            'answer.yes': to('phoneReplacementBackupNow'),
            'answer.appGone': toHandoff('app_lost_no_backup'),
            'answer.phoneGone': toHandoff('phone_lost_no_backup'),
          },
        },
        backupNow: {
          // Not spelled out in the guide: a new QR code only appears when the method is set
          // again (section 3), so move off the app while the old phone still works.
          ...ask(
            'phoneReplacementBackupNow',
            S.phoneReplacement,
            'old phone still works: set the method again to get a new QR code, and back it up',
            ['phoneReplacement.backupNow.message', 'phoneReplacement.backupNow.backup'],
            [O.changeMethod, O.understood],
          ),
          on: { ...topicLinks('changeMethod'), 'answer.ok': to('informedConfirm') },
        },
        unresolved: {
          ...ask(
            'phoneReplacementUnresolved',
            S.phoneReplacement,
            'the move did not work: offer support',
            ['unresolved.message', 'unresolved.codeRejectedHint'],
            [O.talkToAgent, O.codeRejected],
          ),
          on: topicLinks('codeRejected'),
        },
      },
    },

    resolvedConfirm: {
      // Not in the guide: the desk's question after a fix. "It worked" answered one check; this asks
      // about the customer's problem as a whole (the reports count only a confirmed resolution).
      ...confirmStep('resolvedConfirm', 'a check worked: has this solved the problem?', 'solved.prompt'),
      on: { 'answer.yes': to('resolved'), 'answer.no': NOT_SOLVED_ROUTE },
    },
    informedConfirm: {
      ...confirmStep('informedConfirm', 'advice read to its end: has this answered the question?', 'solved.informedPrompt'),
      on: { 'answer.yes': to('informed'), 'answer.no': NOT_SOLVED_ROUTE },
    },
    notSolvedMoreChecks: {
      ...ask(
        'notSolvedMoreChecks',
        S.summary,
        'not solved: the branch has checks the customer has not seen; go on with them, or a person',
        ['notSolved.moreChecks'],
        [O.moreChecks, O.talkToAgent],
      ),
      on: {
        'answer.next': [
          ...ALL_CHECKS.map((stepId) => ({ guard: { type: 'nextCheckIs', params: { stepId } } as const, target: to(stepId) })),
          { target: to('notSolved') },
        ],
      },
    },
    notSolved: {
      // まとめ: what the guide cannot solve, support can.
      ...ask('notSolved', S.summary, 'not solved and nothing left to check: a person', ['notSolved.message', 'unresolved.prompt'], [O.talkToAgent]),
    },
    resolved: {
      type: 'final',
      id: 'resolved',
      description: `${S.summary} — resolved (the customer confirmed it)`,
      meta: stepMeta(S.summary, ['solved.thanks', 'resolved.message'], []),
      output: { kind: 'resolved' } satisfies FlowOutcome,
    },
    informed: {
      // "Got it" after advice (methods, backup, a planned phone change): nothing was broken, so no
      // "glad that's sorted"; the closing asks whether there is anything else.
      type: 'final',
      id: 'informed',
      description: `${S.summary} — informed (an informational topic read to its end, confirmed)`,
      meta: { ...stepMeta(S.summary, ['solved.thanks', 'informed.message'], []), closing: 'common:anythingElse' },
      output: { kind: 'resolved' } satisfies FlowOutcome,
    },
    handoffAppLostNoBackup: handoff('app_lost_no_backup'),
    handoffPhoneLostNoBackup: handoff('phone_lost_no_backup'),
    handoffLoginLockout: handoff('login_lockout'),
    handoffPhoneNumberChanged: handoff('phone_number_changed'),
    handoffRegisteredNumberWrong: handoff('registered_number_wrong'),
    handoffCustomerRequested: handoff('customer_requested'),
    handoffPhoneLostRestoreFailed: {
      ...handoff('phone_lost_no_backup'),
      id: 'handoffPhoneLostRestoreFailed',
      description: `${S.backup} — handoff: phone_lost_no_backup (a backup that will not restore)`,
      meta: stepMeta(S.backup, ['handoff.phoneLostRestoreFailed'], []),
    },
  },
});

/** The machine's type, for actors and snapshots elsewhere. */
export type TroubleshootingMachine = typeof troubleshootingMachine;
