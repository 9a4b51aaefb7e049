/**
 * Issue 11: the troubleshooting tree is generated from the machine itself. Expectations here are read
 * off the machine too (its states, their meta and finals), never listed by hand, so a step added to
 * the machine without reaching the drawing fails; a few known transitions pin the edge semantics.
 */
import { describe, expect, it } from 'vitest';
import { setup, type AnyStateNode } from 'xstate';
import { isStepMeta } from '../../../flows/step-meta.js';
import { describePath } from '../../../flows/troubleshooting/path-answers.js';
import { HANDOFF_STATE_IDS, MAIN_MENU_ID, QUESTION_STEP_IDS, troubleshootingMachine } from '../../../flows/troubleshooting/index.js';
import { buildTreeGraph } from '../../../src/desk/tree/index.js';

const graph = buildTreeGraph(troubleshootingMachine);
const nodeIds = new Set(graph.nodes.map((n) => n.id));

function stateNodes(node: AnyStateNode = troubleshootingMachine.root): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => stateNodes(child))];
}
const finals = stateNodes().filter((n) => n.type === 'final');
const questions = stateNodes().filter((n) => isStepMeta(n.meta) && n.meta.options.length > 0);

describe('the tree graph covers the machine', () => {
  it('has a node for the main menu, every question state and every final state', () => {
    expect(finals.length).toBeGreaterThan(1);
    const expected = [MAIN_MENU_ID, ...QUESTION_STEP_IDS, ...questions.map((n) => n.id), ...finals.map((n) => n.id)];
    expect(expected.filter((id) => !nodeIds.has(id))).toEqual([]);
    expect(graph.nodes.find((n) => n.id === MAIN_MENU_ID)?.kind).toBe('menu');
    expect(graph.nodes.find((n) => n.id === 'resolved')?.kind).toBe('resolved');
    for (const [reason, id] of Object.entries(HANDOFF_STATE_IDS)) expect(graph.nodes.find((n) => n.id === id)).toMatchObject({ kind: 'handoff', reason });
  });

  it('draws nothing the customer never sees (compound states, the back router)', () => {
    const invisible = stateNodes().filter((n) => !isStepMeta(n.meta) && n.type !== 'final');
    expect(invisible.length).toBeGreaterThan(0);
    for (const n of invisible) expect(nodeIds.has(n.id)).toBe(false);
  });

  it('draws every option of every question as an edge from that question', () => {
    const missing = questions.flatMap((q) =>
      (isStepMeta(q.meta) ? q.meta.options : [])
        .filter((o) => !graph.edges.some((e) => e.source === q.id && e.optionId === o.id && e.event === o.event))
        .map((o) => `${q.id} --${o.id}-->`),
    );
    expect(missing).toEqual([]);
  });

  it('draws only options: no global transition (back, start over, jumps) appears unless a button offers it', () => {
    for (const e of graph.edges) {
      const source = troubleshootingMachine.getStateNodeById(e.source);
      expect(isStepMeta(source.meta) && source.meta.options.some((o) => o.id === e.optionId && o.event === e.event)).toBe(true);
    }
    expect(graph.edges.some((e) => e.event === 'flow.back' || e.event === 'flow.restart' || e.event === 'topic.jump')).toBe(false);
  });

  it('agrees with describePath, which tells agents which answer led from one step to the next', () => {
    for (const e of graph.edges) {
      const [step] = describePath(troubleshootingMachine, [e.source], e.target);
      const parallel = graph.edges.filter((o) => o.source === e.source && o.target === e.target).map((o) => o.optionId);
      expect(parallel, `${e.id}`).toContain(step?.answerId);
    }
  });

  it.each([
    ['smsNotReceivedMethodSetting', 'notArrived', 'smsNotReceivedSignal'],
    ['smsNotReceivedMethodSetting', 'arrived', 'resolvedConfirm'],
    ['lockoutMessageShown', 'yes', HANDOFF_STATE_IDS.login_lockout],
    ['lockoutMessageShown', 'no', 'lockoutNotYet'],
    ['codeRejectedUnresolved', 'lockout', 'lockoutMessageShown'],
    // "Talk to an agent" is handled at the root, but it is a button of the step.
    ['smsNotReceivedUnresolved', 'talkToAgent', HANDOFF_STATE_IDS.customer_requested],
    ['mainMenu', 'codeRejected', 'codeRejectedOtherService'],
    ['phoneLostMethod', 'voice', 'phoneLostSameNumber'],
  ])('%s --%s--> %s', (source, option, target) => {
    expect(graph.edges).toContainEqual(expect.objectContaining({ source, optionId: option, target, guarded: false }));
  });

  it('marks a route taken only when a guard holds, beside the unguarded one', () => {
    const sms = graph.edges.filter((e) => e.source === 'phoneReplacementMethod' && e.optionId === 'sms');
    expect(sms.map((e) => [e.target, e.guarded]).sort()).toEqual([
      // "My number has already changed", read from free text (issue 14): straight to the handoff.
      ['handoffPhoneNumberChanged', true],
      ['phoneReplacementNoChangeNeeded', true],
      ['phoneReplacementNumberChanges', false],
      ['phoneReplacementSwitchToApp', true],
    ]);
  });

  it('groups steps by the machine’s nesting, which follows the guide’s sections', () => {
    const sms = graph.nodes.find((n) => n.id === 'smsNotReceivedSignal');
    const group = graph.groups.find((g) => g.id === sms?.group);
    expect(group?.section).toBe('2. SMSが届かない');
    expect(graph.groups.find((g) => g.id === group?.parent)?.section).toBe('2. 2段階認証ができないときの解決方法');
    expect(sms?.section).toBe('2. SMSが届かない');
  });
});

describe('buildTreeGraph on another machine', () => {
  it('follows a compound target to the step it starts with, and an option handled by an ancestor', () => {
    const meta = (options: { id: string; event: string }[]) => ({ messages: ['x:prompt'], options, guideSection: 's' });
    const machine = setup({}).createMachine({
      id: 'm',
      initial: 'ask',
      on: { 'agent.requested': '#m.agent' },
      states: {
        ask: { meta: meta([{ id: 'go', event: 'go' }, { id: 'agent', event: 'agent.requested' }]), on: { go: 'part' } },
        part: { initial: 'first', states: { first: { meta: meta([{ id: 'ok', event: 'ok' }]), on: { ok: '#m.done' } } } },
        done: { type: 'final', output: { kind: 'resolved' } },
        agent: { type: 'final', output: { kind: 'handoff', reason: 'customer_requested' } },
      },
    });
    const g = buildTreeGraph(machine);
    expect(g.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['m.ask', 'menu'],
      ['m.part.first', 'question'],
      ['m.done', 'resolved'],
      ['m.agent', 'handoff'],
    ]);
    expect(g.edges.map((e) => `${e.source} --${e.optionId}--> ${e.target}`)).toEqual([
      'm.ask --go--> m.part.first',
      'm.ask --agent--> m.agent',
      'm.part.first --ok--> m.done',
    ]);
  });
});
