/**
 * The troubleshooting tree as a graph read off the XState machine itself, so the drawing can never
 * drift from what the bot asks: one node per state the customer sees (the main menu, each question,
 * each final state), one edge per answer option of a question to the state it leads to. Global
 * transitions (back, start over, language, a typed "agent") are not options, so they are not drawn;
 * an explicit "talk to an agent" button is an option and is drawn. No text here: nodes name locale keys.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { isHandoffReason, type HandoffReason } from '../../../flows/outcome.js';
import { isStepMeta } from '../../../flows/step-meta.js';

/** What a node is, for its shape and colour. */
export type TreeNodeKind = 'menu' | 'question' | 'resolved' | 'handoff';

export interface TreeNode {
  /** The state's id (`#id` in the machine), e.g. `smsNotReceivedSignal`, `resolved`. */
  readonly id: string;
  readonly kind: TreeNodeKind;
  /** The guide section the step cites (`meta.guideSection`); `''` when it names none. */
  readonly section: string;
  /** Locale keys of what the step says, in order (the last one asks the question). */
  readonly messageKeys: readonly string[];
  /** The handoff reason of a handoff node. */
  readonly reason?: HandoffReason;
  /** The innermost compound state holding the step (a {@link TreeGroup}'s id); absent at the top level. */
  readonly group?: string;
}

/**
 * A compound state: the machine nests its steps by the guide's sections, and each compound's
 * `description` names its section (`2. SMSが届かない`), so the groups show the guide's structure.
 */
export interface TreeGroup {
  /** The compound state's id, e.g. `troubleshooting.solving.smsNotReceived`. */
  readonly id: string;
  /** The enclosing group; absent for a group at the top level. */
  readonly parent?: string;
  /** The guide section it stands for (its `description`). */
  readonly section: string;
}

export interface TreeEdge {
  /** Stable: `<source>--<optionId>--<target>`. */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** The option whose button leads along this edge (`options:<id>.label` names its text). */
  readonly optionId: string;
  readonly event: string;
  /** Taken only when a guard holds (e.g. the customer already said whether the number changes). */
  readonly guarded: boolean;
}

export interface TreeGraph {
  /** In the machine's document order: the main menu first, final states last. */
  readonly nodes: readonly TreeNode[];
  /** Per node, per option, in display order. */
  readonly edges: readonly TreeEdge[];
  /** The guide sections the nodes cite, in order of first appearance. */
  readonly sections: readonly string[];
  /** Compound states holding steps, outer before inner, in document order. */
  readonly groups: readonly TreeGroup[];
}

/** Builds the graph of `machine` (the troubleshooting machine, or any machine whose steps carry StepMeta). */
export function buildTreeGraph(machine: AnyStateMachine): TreeGraph {
  const stateNodes = allStateNodes(machine.root).filter((n) => isStepMeta(n.meta) || n.type === 'final');
  const menu = enteredStep(machine.root).id;
  const nodes = stateNodes.map((n) => toTreeNode(n, n.id === menu));
  const shown = new Set(nodes.map((n) => n.id));
  const edges: TreeEdge[] = [];
  for (const stateNode of stateNodes) {
    if (!isStepMeta(stateNode.meta)) continue;
    for (const option of stateNode.meta.options) {
      for (const { target, guarded } of optionTargets(stateNode, option.event)) {
        if (!shown.has(target)) continue;
        edges.push({ id: `${stateNode.id}--${option.id}--${target}`, source: stateNode.id, target, optionId: option.id, event: option.event, guarded });
      }
    }
  }
  const sections = [...new Set(nodes.map((n) => n.section))];
  const groups = allStateNodes(machine.root)
    .filter((n) => n.parent && Object.keys(n.states).length > 0)
    .map((n): TreeGroup => {
      const parent = n.parent?.parent ? { parent: n.parent.id } : {};
      return { id: n.id, section: n.description ?? n.key, ...parent };
    });
  return { nodes, edges, sections, groups };
}

function allStateNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => allStateNodes(child))];
}

function toTreeNode(stateNode: AnyStateNode, isInitial: boolean): TreeNode {
  const meta = isStepMeta(stateNode.meta) ? stateNode.meta : undefined;
  const group = stateNode.parent?.parent ? { group: stateNode.parent.id } : {};
  const base = { id: stateNode.id, section: meta?.guideSection ?? '', messageKeys: meta?.messages ?? [], ...group };
  if (stateNode.type !== 'final') return { ...base, kind: isInitial ? 'menu' : 'question' };
  const output: unknown = stateNode.output;
  const reason = typeof output === 'object' && output !== null ? (output as { reason?: unknown }).reason : undefined;
  return isHandoffReason(reason) ? { ...base, kind: 'handoff', reason } : { ...base, kind: 'resolved' };
}

/**
 * The states an option's event leads to from `stateNode`: the transitions of the nearest state
 * handling the event (the step itself, or an ancestor such as the root for "talk to an agent"),
 * each target followed down its initial states to the step the customer sees, as
 * flows/troubleshooting/path-answers.ts does to tell which answer led on.
 */
export function optionTargets(stateNode: AnyStateNode, event: string): { target: string; guarded: boolean }[] {
  for (let n: AnyStateNode | undefined = stateNode; n; n = n.parent) {
    const transitions = n.transitions.get(event);
    if (!transitions) continue;
    const found = new Map<string, boolean>();
    for (const t of transitions) {
      for (const target of t.target ?? []) {
        const id = enteredStep(target).id;
        // An unguarded route to the same target wins: the edge is then always possible.
        found.set(id, (found.get(id) ?? true) && t.guard !== undefined);
      }
    }
    return [...found].map(([target, guarded]) => ({ target, guarded }));
  }
  return [];
}

function enteredStep(target: AnyStateNode): AnyStateNode {
  let n = target;
  for (let initial = n.initial?.target?.[0]; initial; initial = n.initial?.target?.[0]) n = initial;
  return n;
}
