/**
 * "Has this solved your problem?" at every resolved ending (issue 18): yes ends the flow resolved;
 * no offers the checks of that branch the customer has not seen (in the guide's order), then a person.
 */
import { describe, expect, it } from 'vitest';
import type { StepMeta } from '../../flows/step-meta.js';
import { CHECK_BRANCHES, QUESTION_STEP_IDS, troubleshootingMachine } from '../../flows/troubleshooting/index.js';
import { everyPath, run, stepOf } from './troubleshooting-harness.js';

const at = (events: Parameters<typeof run>[0]) => stepOf(run(events).getSnapshot())?.id;
const metaOf = (id: string) => troubleshootingMachine.getStateNodeById(id).meta as StepMeta;

describe('has this solved your problem?', () => {
  it('is asked after a check that worked and after advice read to its end, with the answers as buttons', () => {
    expect(at(['topic.smsNotReceived', 'answer.yes'])).toBe('resolvedConfirm');
    expect(at(['topic.methodsOverview', 'answer.ok'])).toBe('informedConfirm');
    for (const id of ['resolvedConfirm', 'informedConfirm']) {
      expect(metaOf(id).resolvedEnding).toBe(true);
      expect(metaOf(id).options.map((o) => o.id)).toEqual(['solved', 'notSolved']);
    }
    expect(metaOf('smsNotReceivedSignal').resolvedEnding).toBeUndefined();
  });

  it('yes ends the flow resolved: a fix with the usual closing, advice with "anything else?"', () => {
    const fix = run(['topic.smsNotReceived', 'answer.yes', 'answer.yes']).getSnapshot();
    expect(fix.output).toEqual({ kind: 'resolved' });
    expect(stepOf(fix)?.id).toBe('resolved');
    const advice = run(['topic.backup', 'answer.next', 'answer.ok', 'answer.yes']).getSnapshot();
    expect(stepOf(advice)?.id).toBe('informed');
  });

  it('no offers the remaining checks of the branch, one after another, then a person', () => {
    const events = ['topic.smsNotReceived', 'answer.yes', 'answer.no'] as const;
    expect(at([...events])).toBe('notSolvedMoreChecks');
    expect(metaOf('notSolvedMoreChecks').options.map((o) => o.id)).toEqual(['moreChecks', 'talkToAgent']);
    expect(at([...events, 'answer.next'])).toBe('smsNotReceivedSignal');
    // Fixed again by the third check, still not solved: the fourth (the second and third are seen).
    const again = [...events, 'answer.next', 'answer.no', 'answer.yes', 'answer.no', 'answer.next'] as const;
    expect(at([...again])).toBe('smsNotReceivedOtherSms');
    expect(at([...again, 'answer.no'])).toBe('smsNotReceivedUnresolved');
    const end = run([...again, 'answer.no', 'agent.requested']).getSnapshot();
    expect(end.output).toEqual({ kind: 'handoff', reason: 'customer_requested' });
    expect(end.context.trail).toEqual([
      'smsNotReceivedMethodSetting',
      'resolvedConfirm',
      'notSolvedMoreChecks',
      'smsNotReceivedSignal',
      'smsNotReceivedAirplaneMode',
      'resolvedConfirm',
      'notSolvedMoreChecks',
      'smsNotReceivedOtherSms',
      'smsNotReceivedUnresolved',
    ]);
  });

  it('offers again a check the customer went back from (back undoes its answer), after the ones not seen', () => {
    // Checks 1 and 2 failed, back to check 1, which now works: check 2 is offered again, then 3.
    const events = ['topic.codeRejected', 'answer.no', 'answer.no', 'flow.back', 'flow.back', 'answer.yes', 'answer.no', 'answer.next'] as const;
    expect(at([...events])).toBe('codeRejectedExpired');
    expect(at([...events, 'answer.no'])).toBe('codeRejectedBrowser');
  });

  it('with every check of the branch seen, no goes to the branch\'s own "support can help" step', () => {
    expect(at(['topic.codeRejected', 'answer.no', 'answer.no', 'answer.yes', 'answer.no'])).toBe('codeRejectedUnresolved');
    expect(at(['topic.callNotReceived', 'answer.yes', 'answer.no', 'answer.no', 'answer.yes', 'answer.no'])).toBe('callNotReceivedUnresolved');
    expect(at(['topic.changeMethod', 'choose.sms', 'choose.app', 'answer.yes', 'answer.no'])).toBe('changeMethodUnresolved');
    expect(at(['topic.phoneReplacement', 'choose.app', 'answer.yes', 'answer.yes', 'answer.no'])).toBe('phoneReplacementUnresolved');
  });

  it('without checks left to offer (a restored backup, advice), no offers a person', () => {
    expect(at(['topic.appDeleted', 'answer.yes', 'answer.yes', 'answer.no'])).toBe('notSolved');
    expect(at(['topic.phoneLostOrBroken', 'choose.sms', 'answer.yes', 'answer.yes', 'answer.no'])).toBe('notSolved');
    expect(at(['topic.methodsOverview', 'answer.ok', 'answer.no'])).toBe('notSolved');
    expect(metaOf('notSolved').options.map((o) => o.id)).toEqual(['talkToAgent']);
    const end = run(['topic.methodsOverview', 'answer.ok', 'answer.no', 'agent.requested']).getSnapshot();
    expect(end.output).toEqual({ kind: 'handoff', reason: 'customer_requested' });
  });

  it('back from the offer returns to the question, whose yes still closes', () => {
    const snapshot = run(['topic.smsNotReceived', 'answer.yes', 'answer.no', 'flow.back', 'answer.yes']).getSnapshot();
    expect(snapshot.output).toEqual({ kind: 'resolved' });
  });

  it('lists each branch\'s checks in the guide\'s order, every check leading to the question', () => {
    for (const branch of CHECK_BRANCHES) {
      const order = branch.checks.map((c) => QUESTION_STEP_IDS.indexOf(c));
      expect(order, branch.checks.join()).toEqual([...order].sort((a, b) => a - b));
      for (const check of branch.checks) {
        const node = troubleshootingMachine.getStateNodeById(check);
        const targets = (node.transitions.get('answer.yes') ?? []).flatMap((t) => (t.target ?? []).map((n) => n.id));
        expect(targets, check).toEqual(['resolvedConfirm']);
      }
    }
  });

  it('every path walked by the flows tests answers the question both ways', () => {
    const names = everyPath().map((p) => p.map((e) => e.type).join(' '));
    expect(names.some((n) => n.includes('answer.yes answer.no answer.next'))).toBe(true);
    expect(names.some((n) => n.endsWith('answer.ok answer.yes'))).toBe(true);
  });
});
