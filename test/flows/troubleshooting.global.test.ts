/**
 * The root-level exits (restart, back, talk to a person, jump to a topic) and snapshot
 * persistence of the troubleshooting machine.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  QUESTION_STEP_IDS,
  TOPIC_JUMPS,
  TOPIC_START,
  TOPICS,
  TRAIL_LIMIT,
  TROUBLESHOOTING_FLOW_VERSION,
  troubleshootingMachine,
  type TopicJumpEvent,
} from '../../flows/troubleshooting/index.js';
import { run, stepOf } from './troubleshooting-harness.js';

const deep = ['topic.phoneReplacement', 'choose.app', 'answer.no'] as const; // → phoneReplacementOldApp
const jump = (topic: TopicJumpEvent['topic'], slots?: TopicJumpEvent['slots']): TopicJumpEvent =>
  slots ? { type: 'topic.jump', topic, slots } : { type: 'topic.jump', topic };
const stepId = (actor: ReturnType<typeof run>) => stepOf(actor.getSnapshot())?.id;

describe('flow.restart', () => {
  it('goes back to the main menu from deep inside with an empty trail', () => {
    const actor = run([...deep]);
    expect(stepId(actor)).toBe('phoneReplacementOldApp');
    actor.send({ type: 'flow.restart' });
    expect(stepId(actor)).toBe('mainMenu');
    expect(actor.getSnapshot().context.trail).toEqual([]);
    actor.send({ type: 'topic.appDeleted' });
    expect(stepId(actor)).toBe('appDeletedHasBackup');
  });

  it('offers another topic after the checks are exhausted', () => {
    const actor = run(['topic.smsNotReceived', 'answer.no', 'answer.no', 'answer.no', 'answer.no']);
    expect(stepId(actor)).toBe('smsNotReceivedUnresolved');
    actor.send({ type: 'flow.restart' });
    expect(stepId(actor)).toBe('mainMenu');
    actor.send({ type: 'topic.callNotReceived' });
    expect(actor.getSnapshot().context.trail).toEqual(['callNotReceivedRegisteredNumber']);
  });

  it('is accepted by every question state', () => {
    for (const id of QUESTION_STEP_IDS) {
      const snapshot = troubleshootingMachine.resolveState({ value: 'mainMenu', context: { trail: [id, 'methodsOverview'] } });
      const actor = createActor(troubleshootingMachine, { snapshot });
      actor.start();
      actor.send({ type: 'flow.back' }); // lands on `id`
      expect(stepOf(actor.getSnapshot())?.id).toBe(id);
      for (const type of ['flow.restart', 'flow.back', 'agent.requested'] as const) expect(actor.getSnapshot().can({ type }), `${id} ${type}`).toBe(true);
      expect(actor.getSnapshot().can(jump('backup')), `${id} topic.jump`).toBe(true);
      actor.stop();
    }
  });
});

describe('flow.back', () => {
  it('returns one question', () => {
    const actor = run([...deep, 'flow.back']);
    expect(stepId(actor)).toBe('phoneReplacementAppBackup');
    expect(actor.getSnapshot().context.trail).toEqual(['phoneReplacementMethod', 'phoneReplacementAppBackup']);
  });

  it('returns two questions, then to the main menu, and stays there', () => {
    const actor = run([...deep, 'flow.back', 'flow.back']);
    expect(stepId(actor)).toBe('phoneReplacementMethod');
    expect(actor.getSnapshot().context.trail).toEqual(['phoneReplacementMethod']);
    actor.send({ type: 'flow.back' });
    expect(stepId(actor)).toBe('mainMenu');
    expect(actor.getSnapshot().context.trail).toEqual([]);
    actor.send({ type: 'flow.back' });
    expect(stepId(actor)).toBe('mainMenu');
    expect(actor.getSnapshot().status).toBe('active');
  });

  it('stays at the main menu when pressed first', () => {
    const actor = run(['flow.back']);
    expect(stepId(actor)).toBe('mainMenu');
  });

  it('lets the customer answer differently after going back', () => {
    const actor = run(['topic.appDeleted', 'answer.yes', 'flow.back', 'answer.no']);
    expect(actor.getSnapshot().output).toEqual({ kind: 'handoff', reason: 'app_lost_no_backup' });
    expect(actor.getSnapshot().context.trail).toEqual(['appDeletedHasBackup']);
  });

  it('returns across a "see also" link to the question it came from', () => {
    const actor = run(['topic.lockout', 'answer.no', 'topic.codeRejected', 'flow.back']);
    expect(stepId(actor)).toBe('lockoutNotYet');
  });

  it('can return to every question state (the router knows them all)', () => {
    for (const id of QUESTION_STEP_IDS) {
      // As if the customer had answered `id` and moved on to one more question.
      const snapshot = troubleshootingMachine.resolveState({ value: 'mainMenu', context: { trail: [id, 'methodsOverview'] } });
      const actor = createActor(troubleshootingMachine, { snapshot });
      actor.start();
      actor.send({ type: 'flow.back' });
      expect(stepOf(actor.getSnapshot())?.id, id).toBe(id);
      expect(actor.getSnapshot().context.trail).toEqual([id]);
      actor.stop();
    }
  });
});

describe('agent.requested', () => {
  it.each([[['topic.codeRejected', 'answer.no']], [[...deep]], [[]], [['topic.changeMethod', 'choose.voice', 'choose.app']]] as const)(
    'hands off as customer_requested from %j',
    (events) => {
      const actor = run([...events, 'agent.requested']);
      expect(actor.getSnapshot().status).toBe('done');
      expect(actor.getSnapshot().output).toEqual({ kind: 'handoff', reason: 'customer_requested' });
      expect(stepId(actor)).toBe('handoffCustomerRequested');
    },
  );

  it('keeps the trail for the ticket', () => {
    const actor = run(['topic.callNotReceived', 'answer.yes', 'answer.no', 'agent.requested']);
    expect(actor.getSnapshot().context.trail).toEqual(['callNotReceivedRegisteredNumber', 'callNotReceivedSignal', 'callNotReceivedTimeSignal']);
  });
});

describe('topic.jump', () => {
  it.each(TOPICS)('jumps to the first question of %s without slots', (topic) => {
    expect(stepId(run([jump(topic)]))).toBe(TOPIC_START[topic]);
  });

  it('jumps from deep inside another topic, keeping the trail', () => {
    const actor = run([...deep, jump('lockout')]);
    expect(stepId(actor)).toBe('lockoutMessageShown');
    expect(actor.getSnapshot().context.trail.slice(-2)).toEqual(['phoneReplacementOldApp', 'lockoutMessageShown']);
  });

  it.each([
    [{ from: 'sms', to: 'app' }, 'changeMethodSmsToApp'],
    [{ from: 'app', to: 'voice' }, 'changeMethodAppToVoice'],
    [{ from: 'voice', to: 'sms' }, 'changeMethodVoiceToSms'],
    [{ from: 'app', to: 'sms' }, 'changeMethodAppToSms'],
    [{ from: 'sms', to: 'voice' }, 'changeMethodSmsToVoice'],
    [{ from: 'voice', to: 'app' }, 'changeMethodVoiceToApp'],
    [{ from: 'sms' }, 'changeMethodFromSms'],
    [{ from: 'app' }, 'changeMethodFromApp'],
    [{ from: 'voice' }, 'changeMethodFromVoice'],
    [{ from: 'sms', to: 'sms' }, 'changeMethodFromSms'],
    [{ to: 'app' }, 'changeMethodCurrent'],
  ] as const)('changeMethod with slots %j → %s', (slots, expected) => {
    expect(stepId(run([jump('changeMethod', slots)]))).toBe(expected);
  });

  it.each([
    [{ method: 'app' }, 'phoneReplacementAppBackup'],
    [{ method: 'app', numberChanges: true }, 'phoneReplacementAppBackup'],
    [{ method: 'sms' }, 'phoneReplacementNumberChanges'],
    [{ method: 'voice', numberChanges: false }, 'phoneReplacementNoChangeNeeded'],
    [{ method: 'sms', numberChanges: true }, 'phoneReplacementSwitchToApp'],
    [{ numberChanges: true }, 'phoneReplacementMethod'],
  ] as const)('phoneReplacement with slots %j → %s', (slots, expected) => {
    expect(stepId(run([jump('phoneReplacement', slots)]))).toBe(expected);
  });

  it.each([
    [{ method: 'app' }, 'phoneLostHasBackup'],
    [{ method: 'sms' }, 'phoneLostSameNumber'],
    [{ method: 'voice' }, 'phoneLostSameNumber'],
  ] as const)('phoneLostOrBroken with slots %j → %s', (slots, expected) => {
    expect(stepId(run([jump('phoneLostOrBroken', slots)]))).toBe(expected);
  });

  describe('a number that has already changed (numberAlreadyChanged, said in the past tense)', () => {
    const numberChanged = { kind: 'handoff', reason: 'phone_number_changed' };

    it.each([
      ['phoneLostOrBroken', {}],
      ['phoneLostOrBroken', { method: 'sms' }],
      ['phoneLostOrBroken', { method: 'voice' }],
      ['phoneReplacement', { method: 'sms' }],
      ['phoneReplacement', { method: 'voice', numberChanges: true }],
    ] as const)('%s with %j ends in the number-changed handoff, not the questions before a change', (topic, slots) => {
      const actor = run([jump(topic, { ...slots, numberAlreadyChanged: true })]);
      expect(actor.getSnapshot().status).toBe('done');
      expect(actor.getSnapshot().output).toEqual(numberChanged);
    });

    it('an authenticator app does not depend on the number: its own questions', () => {
      expect(stepId(run([jump('phoneReplacement', { method: 'app', numberAlreadyChanged: true })]))).toBe('phoneReplacementAppBackup');
      expect(stepId(run([jump('phoneLostOrBroken', { method: 'app', numberAlreadyChanged: true })]))).toBe('phoneLostHasBackup');
    });

    it('a new phone without a method asks it first; SMS or call then ends in the handoff, the app goes on', () => {
      const actor = run([jump('phoneReplacement', { numberChanges: true, numberAlreadyChanged: true })]);
      expect(stepId(actor)).toBe('phoneReplacementMethod');
      actor.send({ type: 'choose.sms' });
      expect(actor.getSnapshot().output).toEqual(numberChanged);
      expect(stepId(run([jump('phoneReplacement', { numberAlreadyChanged: true }), 'choose.app']))).toBe('phoneReplacementAppBackup');
    });

    it('is forgotten on restart: the same choice later asks whether the number changes', () => {
      const actor = run([jump('phoneReplacement', { numberAlreadyChanged: true }), 'flow.restart', 'topic.phoneReplacement', 'choose.sms']);
      expect(stepId(actor)).toBe('phoneReplacementNumberChanges');
    });
  });

  describe('"no backup" already said (hasBackup: false, issue 14)', () => {
    it.each([
      ['appDeleted', {}, 'app_lost_no_backup'],
      ['phoneLostOrBroken', { method: 'app' }, 'phone_lost_no_backup'],
    ] as const)('%s with %j ends where "no" to "did you back up?" leads (%s), without asking', (topic, slots, reason) => {
      const actor = run([jump(topic, { ...slots, hasBackup: false })]);
      expect(actor.getSnapshot().output).toEqual({ kind: 'handoff', reason });
    });

    it('a new phone with the app: the question after "no backup", whether the old app still works', () => {
      expect(stepId(run([jump('phoneReplacement', { method: 'app', hasBackup: false })]))).toBe('phoneReplacementOldApp');
    });

    it('without the app (or not knowing the method) the questions come as before', () => {
      expect(stepId(run([jump('phoneLostOrBroken', { hasBackup: false })]))).toBe('phoneLostMethod');
      expect(stepId(run([jump('phoneLostOrBroken', { method: 'sms', hasBackup: false })]))).toBe('phoneLostSameNumber');
      expect(stepId(run([jump('appDeleted')]))).toBe('appDeletedHasBackup');
    });
  });

  it('ignores slots that do not apply to the topic', () => {
    expect(stepId(run([jump('smsNotReceived', { from: 'app', to: 'sms', method: 'voice' })]))).toBe('smsNotReceivedMethodSetting');
  });

  it('continues normally after a jump with slots', () => {
    const actor = run([jump('changeMethod', { from: 'voice', to: 'sms' }), 'answer.yes', 'answer.yes']);
    expect(actor.getSnapshot().output).toEqual({ kind: 'resolved' });
    expect(actor.getSnapshot().context.trail).toEqual(['changeMethodVoiceToSms', 'resolvedConfirm']);
  });

  it('ends with a catch-all row for every topic', () => {
    const tail = TOPIC_JUMPS.slice(-TOPICS.length).map((row) => row.when);
    expect(tail).toEqual(TOPICS.map((topic) => ({ topic })));
  });
});

describe('trail', () => {
  it(`keeps at most ${TRAIL_LIMIT} entries`, () => {
    const loop = ['topic.lockout', 'answer.no', 'topic.codeRejected', 'answer.no', 'answer.no', 'answer.no'] as const;
    const actor = run([jump('lockout'), ...Array.from({ length: 12 }, () => loop.slice(1).concat('topic.lockout')).flat()] as never);
    const trail = actor.getSnapshot().context.trail;
    expect(trail.length).toBe(TRAIL_LIMIT);
    expect(trail.at(-1)).toBe('lockoutMessageShown');
  });
});

describe('persistence', () => {
  it('has an integer flow version', () => {
    expect(Number.isInteger(TROUBLESHOOTING_FLOW_VERSION)).toBe(true);
    expect(TROUBLESHOOTING_FLOW_VERSION).toBeGreaterThan(0);
  });

  it('restores a JSON snapshot at the same step and continues', () => {
    const actor = run(['topic.callNotReceived', 'answer.yes', 'answer.no', 'answer.no']);
    const json = JSON.stringify(actor.getPersistedSnapshot());
    actor.stop();
    expect(json.length).toBeLessThan(2000);

    const restored = createActor(troubleshootingMachine, { snapshot: JSON.parse(json) as never });
    restored.start();
    expect(stepOf(restored.getSnapshot())?.id).toBe('callNotReceivedAirplaneMode');
    expect(restored.getSnapshot().context.trail).toEqual([
      'callNotReceivedRegisteredNumber',
      'callNotReceivedSignal',
      'callNotReceivedTimeSignal',
      'callNotReceivedAirplaneMode',
    ]);
    restored.send({ type: 'flow.back' });
    expect(stepOf(restored.getSnapshot())?.id).toBe('callNotReceivedTimeSignal');
    restored.send({ type: 'answer.yes' });
    expect(stepOf(restored.getSnapshot())?.id).toBe('resolvedConfirm');
    restored.send({ type: 'answer.yes' });
    expect(restored.getSnapshot().output).toEqual({ kind: 'resolved' });
  });

  it('restores a finished conversation as done with its outcome', () => {
    const actor = run(['topic.lockout', 'answer.yes']);
    const restored = createActor(troubleshootingMachine, { snapshot: JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as never });
    restored.start();
    expect(restored.getSnapshot().status).toBe('done');
    expect(restored.getSnapshot().output).toEqual({ kind: 'handoff', reason: 'login_lockout' });
  });
});
