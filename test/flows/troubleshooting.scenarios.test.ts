/**
 * The guide's scenarios as a table: what the customer answers, and how the conversation ends.
 * Each handoff reason appears at least once, and each topic has a resolved ending.
 */
import { describe, expect, it } from 'vitest';
import { HANDOFF_REASONS, type FlowOutcome } from '../../flows/outcome.js';
import { TOPICS, type TroubleshootingEvent } from '../../flows/troubleshooting/index.js';
import { run } from './troubleshooting-harness.js';

type Step = Exclude<TroubleshootingEvent['type'], 'topic.jump'> | TroubleshootingEvent;
interface Scenario {
  readonly name: string;
  readonly topic: (typeof TOPICS)[number];
  readonly events: readonly Step[];
  readonly outcome: FlowOutcome;
  /** The questions the ticket would list as tried, when worth pinning down. */
  readonly trail?: readonly string[];
}

const resolved: FlowOutcome = { kind: 'resolved' };
const handoff = (reason: (typeof HANDOFF_REASONS)[number]): FlowOutcome => ({ kind: 'handoff', reason });

const SCENARIOS: readonly Scenario[] = [
  // 1. 種類
  { name: 'methods overview understood', topic: 'methodsOverview', events: ['topic.methodsOverview', 'answer.ok'], outcome: resolved },
  {
    name: 'methods overview, then change from SMS to the app',
    topic: 'methodsOverview',
    events: ['topic.methodsOverview', 'topic.changeMethod', 'choose.sms', 'choose.app', 'answer.yes'],
    outcome: resolved,
    trail: ['methodsOverview', 'changeMethodCurrent', 'changeMethodFromSms', 'changeMethodSmsToApp'],
  },
  // 2. コードが通らない
  { name: 'code of another service', topic: 'codeRejected', events: ['topic.codeRejected', 'answer.yes'], outcome: resolved },
  { name: 'code had expired', topic: 'codeRejected', events: ['topic.codeRejected', 'answer.no', 'answer.yes'], outcome: resolved },
  {
    name: 'browser was outdated',
    topic: 'codeRejected',
    events: ['topic.codeRejected', 'answer.no', 'answer.no', 'answer.yes'],
    outcome: resolved,
    trail: ['codeRejectedOtherService', 'codeRejectedExpired', 'codeRejectedBrowser'],
  },
  {
    name: 'all checks fail, customer asks for support',
    topic: 'codeRejected',
    events: ['topic.codeRejected', 'answer.no', 'answer.no', 'answer.no', 'agent.requested'],
    outcome: handoff('customer_requested'),
    trail: ['codeRejectedOtherService', 'codeRejectedExpired', 'codeRejectedBrowser', 'codeRejectedUnresolved'],
  },
  {
    name: 'all checks fail after many tries: login locked',
    topic: 'codeRejected',
    events: ['topic.codeRejected', 'answer.no', 'answer.no', 'answer.no', 'topic.lockout', 'answer.yes'],
    outcome: handoff('login_lockout'),
  },
  // 2. アプリを削除
  { name: 'app deleted, no backup', topic: 'appDeleted', events: ['topic.appDeleted', 'answer.no'], outcome: handoff('app_lost_no_backup') },
  { name: 'app deleted, restored from backup', topic: 'appDeleted', events: ['topic.appDeleted', 'answer.yes', 'answer.yes'], outcome: resolved },
  {
    name: 'app deleted, backup cannot be restored',
    topic: 'appDeleted',
    events: ['topic.appDeleted', 'answer.yes', 'answer.restoreFailed'],
    outcome: handoff('app_lost_no_backup'),
  },
  {
    name: 'app restored but code rejected: browser update fixes it',
    topic: 'appDeleted',
    events: ['topic.appDeleted', 'answer.yes', 'topic.codeRejected', 'answer.no', 'answer.no', 'answer.yes'],
    outcome: resolved,
  },
  // 2. SMSが届かない
  { name: 'SMS: method was the app', topic: 'smsNotReceived', events: ['topic.smsNotReceived', 'answer.yes'], outcome: resolved },
  { name: 'SMS: poor signal', topic: 'smsNotReceived', events: ['topic.smsNotReceived', 'answer.no', 'answer.yes'], outcome: resolved },
  { name: 'SMS: airplane mode', topic: 'smsNotReceived', events: ['topic.smsNotReceived', 'answer.no', 'answer.no', 'answer.yes'], outcome: resolved },
  {
    name: 'SMS: other SMS did not arrive either, fixed on the phone',
    topic: 'smsNotReceived',
    events: ['topic.smsNotReceived', 'answer.no', 'answer.no', 'answer.no', 'answer.yes'],
    outcome: resolved,
  },
  {
    name: 'SMS: nothing helps, support',
    topic: 'smsNotReceived',
    events: ['topic.smsNotReceived', 'answer.no', 'answer.no', 'answer.no', 'answer.no', 'agent.requested'],
    outcome: handoff('customer_requested'),
  },
  // 2. 電話に着信がない
  {
    name: 'call: registered number is wrong',
    topic: 'callNotReceived',
    events: ['topic.callNotReceived', 'answer.no'],
    outcome: handoff('registered_number_wrong'),
  },
  { name: 'call: weak signal', topic: 'callNotReceived', events: ['topic.callNotReceived', 'answer.yes', 'answer.yes'], outcome: resolved },
  // The 117 call is the guide's example of the signal check, so it comes right after it.
  {
    name: 'call: 117 showed there was no signal',
    topic: 'callNotReceived',
    events: ['topic.callNotReceived', 'answer.yes', 'answer.no', 'answer.yes'],
    outcome: resolved,
    trail: ['callNotReceivedRegisteredNumber', 'callNotReceivedSignal', 'callNotReceivedTimeSignal'],
  },
  {
    name: 'call: airplane mode',
    topic: 'callNotReceived',
    events: ['topic.callNotReceived', 'answer.yes', 'answer.no', 'answer.no', 'answer.yes'],
    outcome: resolved,
    trail: ['callNotReceivedRegisteredNumber', 'callNotReceivedSignal', 'callNotReceivedTimeSignal', 'callNotReceivedAirplaneMode'],
  },
  // 3. 変更
  ...(
    [
      ['sms', 'app'],
      ['app', 'voice'],
      ['voice', 'sms'],
      ['app', 'sms'],
      ['sms', 'voice'],
      ['voice', 'app'],
    ] as const
  ).map(
    ([from, to]): Scenario => ({
      name: `change from ${from} to ${to}`,
      topic: 'changeMethod',
      events: ['topic.changeMethod', `choose.${from}`, `choose.${to}`, 'answer.yes'],
      outcome: resolved,
    }),
  ),
  {
    name: 'change to the app, read about backups on the way',
    topic: 'changeMethod',
    events: ['topic.changeMethod', 'choose.sms', 'choose.app', 'topic.backup', 'answer.next', 'answer.ok'],
    outcome: resolved,
  },
  {
    name: 'change: cannot log in because the SMS does not arrive',
    topic: 'changeMethod',
    events: ['topic.changeMethod', 'answer.cannotLogIn', 'topic.smsNotReceived', 'answer.yes'],
    outcome: resolved,
  },
  {
    name: 'change: cannot log in, app deleted without backup',
    topic: 'changeMethod',
    events: ['topic.changeMethod', 'answer.cannotLogIn', 'topic.appDeleted', 'answer.no'],
    outcome: handoff('app_lost_no_backup'),
  },
  {
    name: 'change fails, support',
    topic: 'changeMethod',
    events: ['topic.changeMethod', 'choose.app', 'choose.voice', 'answer.no', 'agent.requested'],
    outcome: handoff('customer_requested'),
  },
  // 4-1. バックアップ
  { name: 'backup: methods and risks read', topic: 'backup', events: ['topic.backup', 'answer.next', 'answer.ok'], outcome: resolved },
  {
    name: 'backup: device already lost without a backup',
    topic: 'backup',
    events: ['topic.backup', 'answer.next', 'answer.lostNoBackup'],
    outcome: handoff('phone_lost_no_backup'),
  },
  // 4-2. ① 紛失・破損
  {
    name: 'lost phone, app, no backup',
    topic: 'phoneLostOrBroken',
    events: ['topic.phoneLostOrBroken', 'choose.app', 'answer.no'],
    outcome: handoff('phone_lost_no_backup'),
  },
  {
    name: 'lost phone, app, restored on the new phone',
    topic: 'phoneLostOrBroken',
    events: ['topic.phoneLostOrBroken', 'choose.app', 'answer.yes', 'answer.yes'],
    outcome: resolved,
  },
  {
    name: 'lost phone, app, backup does not restore',
    topic: 'phoneLostOrBroken',
    events: ['topic.phoneLostOrBroken', 'choose.app', 'answer.yes', 'answer.restoreFailed'],
    outcome: handoff('phone_lost_no_backup'),
  },
  {
    name: 'broken phone, SMS, same number',
    topic: 'phoneLostOrBroken',
    events: ['topic.phoneLostOrBroken', 'choose.sms', 'answer.yes', 'answer.yes'],
    outcome: resolved,
  },
  {
    name: 'lost phone, voice, new number',
    topic: 'phoneLostOrBroken',
    events: ['topic.phoneLostOrBroken', 'choose.voice', 'answer.no'],
    outcome: handoff('phone_number_changed'),
  },
  {
    name: 'lost phone, voice, same number but no call: registered number wrong',
    topic: 'phoneLostOrBroken',
    events: ['topic.phoneLostOrBroken', 'choose.voice', 'answer.yes', 'topic.callNotReceived', 'answer.no'],
    outcome: handoff('registered_number_wrong'),
  },
  // 4-2. ② 入力ミス
  { name: 'locked out after repeated wrong codes', topic: 'lockout', events: ['topic.lockout', 'answer.yes'], outcome: handoff('login_lockout') },
  {
    name: 'not locked yet: code was from another service',
    topic: 'lockout',
    events: ['topic.lockout', 'answer.no', 'topic.codeRejected', 'answer.yes'],
    outcome: resolved,
  },
  // 5. 機種変更
  {
    name: 'new phone, SMS, same number: nothing to do',
    topic: 'phoneReplacement',
    events: ['topic.phoneReplacement', 'choose.sms', 'answer.no', 'answer.ok'],
    outcome: resolved,
  },
  {
    name: 'new phone, voice, number changes: switch to the app first',
    topic: 'phoneReplacement',
    events: ['topic.phoneReplacement', 'choose.voice', 'answer.yes', 'answer.ok'],
    outcome: resolved,
  },
  {
    name: 'new phone, SMS, number changes: follow the change steps to the app',
    topic: 'phoneReplacement',
    events: ['topic.phoneReplacement', 'choose.sms', 'answer.yes', 'topic.changeMethod', 'choose.sms', 'choose.app', 'answer.yes'],
    outcome: resolved,
  },
  {
    name: 'new phone, SMS, number already changed and cannot log in',
    topic: 'phoneReplacement',
    events: ['topic.phoneReplacement', 'choose.sms', 'answer.yes', 'answer.numberAlreadyChanged'],
    outcome: handoff('phone_number_changed'),
  },
  {
    name: 'new phone, app, QR code backed up and scanned',
    topic: 'phoneReplacement',
    events: ['topic.phoneReplacement', 'choose.app', 'answer.yes', 'answer.yes'],
    outcome: resolved,
  },
  {
    name: 'new phone, app, no backup, old app still works',
    topic: 'phoneReplacement',
    events: ['topic.phoneReplacement', 'choose.app', 'answer.no', 'answer.yes', 'answer.ok'],
    outcome: resolved,
  },
  {
    name: 'new phone, app, no backup, old app already wiped',
    topic: 'phoneReplacement',
    events: ['topic.phoneReplacement', 'choose.app', 'answer.no', 'answer.appGone'],
    outcome: handoff('app_lost_no_backup'),
  },
  {
    name: 'new phone, app, no backup, old phone already handed in',
    topic: 'phoneReplacement',
    events: ['topic.phoneReplacement', 'choose.app', 'answer.no', 'answer.phoneGone'],
    outcome: handoff('phone_lost_no_backup'),
  },
  {
    name: 'new phone, app, scan fails, support',
    topic: 'phoneReplacement',
    events: ['topic.phoneReplacement', 'choose.app', 'answer.yes', 'answer.no', 'agent.requested'],
    outcome: handoff('customer_requested'),
  },
  // Anywhere
  { name: 'asks for a person at the main menu', topic: 'methodsOverview', events: ['agent.requested'], outcome: handoff('customer_requested') },
];

describe('troubleshooting scenarios from the guide', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    // A resolved ending ends the flow once the customer says it solved the problem.
    const resolves = scenario.outcome.kind === 'resolved';
    const actor = run(resolves ? [...scenario.events, 'answer.yes'] : scenario.events);
    const snapshot = actor.getSnapshot();
    expect(snapshot.status).toBe('done');
    expect(snapshot.output).toEqual(scenario.outcome);
    const trail = snapshot.context.trail;
    if (resolves) expect(['resolvedConfirm', 'informedConfirm']).toContain(trail.at(-1));
    if (scenario.trail) expect(resolves ? trail.slice(0, -1) : trail).toEqual(scenario.trail);
  });

  it('covers every handoff reason', () => {
    const reasons = new Set(SCENARIOS.flatMap((s) => (s.outcome.kind === 'handoff' ? [s.outcome.reason] : [])));
    expect([...reasons].sort()).toEqual([...HANDOFF_REASONS].sort());
  });

  it('has a resolved ending for every topic', () => {
    const topics = new Set(SCENARIOS.filter((s) => s.outcome.kind === 'resolved').map((s) => s.topic));
    expect([...topics].sort()).toEqual([...TOPICS].sort());
  });
});
