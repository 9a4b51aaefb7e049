import type { IdentityOutput } from '../../flows/identity/index.js';
import type { HandoffReason } from '../../flows/outcome.js';
import { approvalActionFor, type ApprovalAction } from '../../flows/ticket-lifecycle/index.js';
import { AppError } from '../errors.js';
import type { Language, Translate } from '../i18n/i18n.js';
import type { ConversationData } from './conversation-data.js';
import type { EngineDeps } from './conversation-engine.js';
import { FlowSession } from './flow-session.js';
import { fieldEvent, formEvent, isIdentityForm } from './identity-input.js';
import type { Interpretation } from './interpreter.js';
import type { Reply, ReplyButton } from './reply.js';
import type { Turn } from './turn.js';

/** What the dialog borrows from the engine: rendering, texts and the commands every phase shares. */
export interface DialogTools {
  render(turn: Turn): Reply[];
  t(data: ConversationData): Translate;
  menuButton(lang: Language): ReplyButton;
  afterTicketButtons(lang: Language): ReplyButton[];
  sharedCommand(turn: Turn, meaning: Extract<Interpretation, { kind: 'command' }>): Promise<void>;
}

/**
 * From a handoff to a ticket: say plainly what happens (no reset in chat, identity first, how
 * long), show the secrets notice once, collect the identity claims (the identity flow), and open
 * the ticket, or point to the open one, through the ticket port.
 */
/**
 * What the customer is told before verification and after the ticket, by what the desk may approve
 * for the reason (flows/ticket-lifecycle approvalActionFor, the one table of reason -> action): a
 * lockout is lifted, a lost app or phone gets its 2FA switched to SMS or voice call, a changed or
 * wrong number is updated, and a customer who only asked for a person is promised none of these.
 */
const WORDING: Readonly<Record<ApprovalAction | 'none', { readonly before: string; readonly after: string }>> = {
  unlock_login: { before: 'handoff:cannotUnlockInChat', after: 'handoff:whatNextUnlock' },
  switch_2fa_to_sms_or_voice: { before: 'handoff:cannotResetInChat', after: 'handoff:whatNextSwitch' },
  update_phone_number: { before: 'handoff:cannotResetInChat', after: 'handoff:whatNextNumber' },
  none: { before: 'handoff:reviewNeedsIdentity', after: 'handoff:whatNextReview' },
};
const wordingFor = (reason: HandoffReason) => WORDING[approvalActionFor(reason) ?? 'none'];

export class HandoffDialog {
  constructor(
    private readonly deps: EngineDeps,
    private readonly tools: DialogTools,
  ) {}

  async begin(turn: Turn, reason: HandoffReason, trail: readonly string[]): Promise<void> {
    const { data, replies, input } = turn;
    const t = this.tools.t(data);
    const port = this.deps.handoff;
    if (!port || !input.customer) {
      replies.push({ text: t('handoff:noTicketStore'), buttons: [this.tools.menuButton(data.lang)] });
      return;
    }
    // "Talk to a person" after a failed verification: the new claims belong to that ticket.
    if (reason === 'customer_requested') {
      const failed = (await port.customerTickets(input.customer)).find((k) => k.status === 'verification_failed');
      if (failed) reason = failed.reason;
    }
    // Asking for a person while a ticket is open in this conversation: that ticket is the way to a
    // person (a second verification and ticket would only slow both down).
    const existing = await port.findOpenTicket(input.customer, reason === 'customer_requested' ? undefined : reason);
    // A ticket whose verification failed takes new claims (the service reopens it): ask for them.
    if (existing && existing.status !== 'verification_failed') {
      turn.ticket = existing;
      replies.push({ text: t('handoff:existingTicket', { ticketId: existing.id, status: t(`tickets:status.${existing.status}`) }), buttons: this.tools.afterTicketButtons(data.lang) });
      turn.session = FlowSession.start(this.deps.troubleshooting);
      return;
    }
    replies.push({ text: t(wordingFor(reason).before, { hours: this.deps.verificationSlaHours }) });
    if (!data.secretsNoticeShown) {
      replies.push({ text: t('handoff:secretsNotice') });
      data.secretsNoticeShown = true;
    }
    data.handoff = { reason, path: [...trail], tried: this.triedSteps(trail) };
    turn.session = FlowSession.start(this.deps.identity, { mode: input.cards ? 'form' : 'steps' });
    // Said once, here: the first question is asked again after a wrong answer, the introduction not.
    if (!input.cards) replies.push({ text: t('identity:intro') });
    replies.push(...this.tools.render(turn));
  }

  async identityTurn(turn: Turn, meaning: Interpretation): Promise<void> {
    const { session, data, replies, input } = turn;
    const t = this.tools.t(data);
    const step = session.step;
    if (isIdentityForm(input.value)) {
      if (step?.meta.form === 'identity') turn.identityAnswered = session.send(formEvent(input.value));
      else replies.push({ text: t('common:staleButton') });
    } else {
      switch (meaning.kind) {
        case 'answer':
          session.send({ type: meaning.event });
          break;
        case 'command':
          if (meaning.command === 'restart') {
            replies.push({ text: t('identity:cancelled') });
            data.handoff = undefined;
            turn.session = FlowSession.start(this.deps.troubleshooting);
            replies.push(...this.tools.render(turn));
            return;
          }
          if (meaning.command === 'agent') {
            replies.push({ text: t('identity:alreadyHandingOff') });
            break;
          }
          return this.tools.sharedCommand(turn, meaning);
        case 'stale':
        case 'jump':
          replies.push({ text: t('common:staleButton') });
          break;
        case 'unsure':
        case 'unknown': {
          const event = step?.meta.field ? fieldEvent(step.meta.field, meaning.text) : undefined;
          if (event) turn.identityAnswered = session.send(event);
          else replies.push({ text: t('identity:form.useCard') });
          break;
        }
        case 'notAnOption':
          replies.push({ text: t('identity:form.useCard') });
          break;
        case 'empty':
          replies.push({ text: t('identity:emptyAnswer') });
          break;
      }
    }
    if (session.done) return this.finishIdentity(turn, session.output as IdentityOutput);
    replies.push(...this.tools.render(turn));
  }

  /**
   * An identity form that arrives after its ticket was opened: the channel redelivered the
   * activity, or the customer pressed submit again because the reply was lost (a crash, a
   * dropped connection). The answer is the ticket's number, not "I didn't catch that". Returns
   * false when this conversation has no open ticket (then it is an ordinary stale card).
   */
  async repeatedForm(turn: Turn): Promise<boolean> {
    const { data, replies, input } = turn;
    const port = this.deps.handoff;
    if (!port || !input.customer || !isIdentityForm(input.value)) return false;
    const ticket = await port.findOpenTicket(input.customer);
    if (!ticket) return false;
    const t = this.tools.t(data);
    replies.push({
      text: t('handoff:detailsAlreadyReceived', { ticketId: ticket.id, status: t(`tickets:status.${ticket.status}`) }),
      buttons: this.tools.afterTicketButtons(data.lang),
    });
    return true;
  }

  private async finishIdentity(turn: Turn, output: IdentityOutput): Promise<void> {
    const { data, replies, input } = turn;
    const t = this.tools.t(data);
    const handoff = data.handoff;
    data.handoff = undefined;
    turn.session = FlowSession.start(this.deps.troubleshooting);
    if (output.kind === 'cancelled' || !handoff || !this.deps.handoff || !input.customer) {
      replies.push({ text: t('identity:cancelled') });
      replies.push(...this.tools.render(turn));
      return;
    }
    const v = output.values;
    if (!v.email || !v.fullName || !v.dateOfBirth || !v.description) throw new AppError('internal', 'identity flow finished without its required claims');
    const ticket = await this.deps.handoff.openTicket({
      customer: input.customer,
      reason: handoff.reason,
      language: data.lang,
      claims: { email: v.email, fullName: v.fullName, dateOfBirth: v.dateOfBirth, description: v.description, ...(v.phoneLast4 ? { phoneLast4: v.phoneLast4 } : {}) },
      path: handoff.path,
      stepsTried: handoff.tried,
    });
    turn.ticket = ticket;
    replies.push({ text: t('handoff:ticketCreated', { ticketId: ticket.id, hours: this.deps.verificationSlaHours }) });
    replies.push({
      text: t(wordingFor(handoff.reason).after, { holdHours: this.deps.resetWithdrawalHoldHours }),
      buttons: this.tools.afterTicketButtons(data.lang),
    });
  }

  /** Checks the customer went through and answered "that didn't work" to, in order. */
  private triedSteps(trail: readonly string[]): string[] {
    const machine = this.deps.troubleshooting.machine;
    return trail.filter((id) => {
      try {
        const meta = machine.getStateNodeById(id).meta as { options?: { id: string }[] } | undefined;
        return meta?.options?.some((o) => o.id === 'notWorked') ?? false;
      } catch {
        return false;
      }
    });
  }
}
