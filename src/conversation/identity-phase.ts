import { identityOfferFor, type IdentityContext, type IdentityOutput } from '../../flows/identity/index.js';
import type { HandoffReason } from '../../flows/outcome.js';
import { CHECK_FAILED_OPTION_IDS } from '../../flows/troubleshooting/index.js';
import { approvalActionFor, type ApprovalAction } from '../../flows/ticket-lifecycle/index.js';
import { AppError } from '../errors.js';
import { FlowSession, type FlowDefinition } from './flow-session.js';
import type { HandoffPort } from './handoff-port.js';
import { fieldEvent, formEvent } from './identity-input.js';
import type { Handover, Phase, StepView } from './phase.js';
import { runSharedCommand } from './shared-commands.js';
import type { Turn } from './turn.js';
import type { Meaning } from './turn-meaning.js';
import { AFTER_TICKET_BUTTONS, MENU_BUTTON, note, type Note, type NoteLine } from './turn-plan.js';

export interface IdentityPhaseDeps {
  readonly troubleshooting: FlowDefinition;
  readonly identity: FlowDefinition;
  /** The ticket store; without it a handoff ends with the support contact only. */
  readonly handoff?: HandoffPort | undefined;
  /**
   * The exchange's settings told to the customer, not facts of the guide: how long verification
   * usually takes, and how long withdrawals are paused after a switch of the 2FA method. 0 leaves
   * the sentence out.
   */
  readonly verificationSlaHours: number;
  readonly resetWithdrawalHoldHours: number;
  /** Youngest age a date of birth may show (the exchange's setting); 0: not checked. */
  readonly minCustomerAge?: number;
}

/**
 * What the customer is told before verification and after the ticket, by what the desk may approve
 * for the reason (flows/ticket-lifecycle approvalActionFor, the one table of reason -> action): a
 * lockout is lifted, a lost app or phone gets its 2FA switched to SMS or voice call, a changed or
 * wrong number is updated, and a customer who only asked for a person is promised none of these.
 */
const WORDING: Readonly<Record<ApprovalAction | 'none', { readonly before: string; readonly after: string }>> = {
  unlock_login: { before: 'handoff:cannotUnlockInChat', after: 'handoff:whatNextUnlock' },
  switch_2fa_to_sms_or_voice: { before: 'handoff:cannotSwitchInChat', after: 'handoff:whatNextSwitch' },
  update_phone_number: { before: 'handoff:cannotChangeNumberInChat', after: 'handoff:whatNextNumber' },
  none: { before: 'handoff:reviewNeedsIdentity', after: 'handoff:whatNextReview' },
};
const wordingFor = (reason: HandoffReason) => WORDING[approvalActionFor(reason) ?? 'none'];

/**
 * From a handoff to a ticket: say plainly what happens (no reset in chat, identity first, how
 * long), show the secrets notice once, collect the identity claims (the identity flow), and open
 * the ticket, or point to the open one, through the ticket port.
 */
export class IdentityPhase implements Phase {
  readonly flow: FlowDefinition;
  /** Identity answers are personal data: never read for a topic. */
  readonly readsTopics = false;

  constructor(private readonly deps: IdentityPhaseDeps) {
    this.flow = deps.identity;
  }

  /** Takes over a troubleshooting flow that ended in a handoff. */
  async enter(turn: Turn, { reason, trail }: Handover): Promise<void> {
    const { data, plan, input } = turn;
    const port = this.deps.handoff;
    plan.showStep = false;
    if (!port || !input.customer) {
      plan.after.push(note('handoff:noTicketStore', undefined, [MENU_BUTTON]));
      turn.facts.ending = { kind: 'handoff', reason };
      return;
    }
    // "Talk to a person" after a failed verification: the new claims belong to that ticket, and
    // the customer was told to do exactly this, so no "start now?" first.
    let resubmit = false;
    if (reason === 'customer_requested') {
      const failed = (await port.customerTickets(input.customer)).find((k) => k.status === 'verification_failed');
      if (failed) {
        reason = failed.reason;
        resubmit = true;
      }
    }
    // Asking for a person while a ticket is open in this conversation: that ticket is the way to a
    // person (a second verification and ticket would only slow both down).
    const existing = await port.findOpenTicket(input.customer, reason === 'customer_requested' ? undefined : reason);
    // A ticket whose verification failed takes new claims (the service reopens it): ask for them.
    if (existing && existing.status !== 'verification_failed') {
      turn.ticket = existing;
      turn.facts.ending = { kind: 'handoff', reason: existing.reason, ticketId: existing.id };
      plan.after.push(note('handoff:existingTicket', { ticketId: existing.id, status: { key: `tickets:status.${existing.status}` } }, AFTER_TICKET_BUTTONS));
      turn.session = FlowSession.start(this.deps.troubleshooting);
      return;
    }
    data.handoff = { reason, path: [...trail], tried: this.triedSteps(trail) };
    const offer = resubmit ? 'none' : identityOfferFor(reason);
    turn.session = FlowSession.start(this.deps.identity, { mode: input.cards ? 'form' : 'steps', offer });
    plan.showStep = true;
    // "Start the procedure now?" comes after what the procedure is; "a question or a change?" says
    // it itself; without a question, the procedure starts at once.
    if (offer === 'startNow') plan.before.push(this.explanation(reason));
    else if (offer === 'none') this.begin(turn, reason, false);
  }

  async handle(turn: Turn, meaning: Meaning): Promise<void> {
    const { session, data, plan } = turn;
    const said = meaning.said;
    const step = session.step;
    const offered = isOffer(step?.meta.options);
    switch (said.kind) {
      case 'identityForm':
        if (step?.meta.form === 'identity') turn.identityAnswered = session.send(formEvent(said.values, this.claimOptions()));
        else plan.before.push(note('common:staleButton'));
        break;
      case 'answer':
        session.send({ type: said.event });
        // The procedure was chosen: what happens and how long, then the first question.
        if (offered && !session.done && !isOffer(session.step?.meta.options) && data.handoff) {
          this.begin(turn, data.handoff.reason, identityOfferFor(data.handoff.reason) === 'startNow');
        }
        break;
      case 'command':
        if (said.command === 'restart') {
          plan.before.push(note('identity:cancelled'));
          data.handoff = undefined;
          turn.session = FlowSession.start(this.deps.troubleshooting);
          return;
        }
        if (said.command === 'agent') {
          // At "a question or the procedure?" the question itself is the answer: it is asked again.
          if (!offered) plan.before.push(note('identity:alreadyHandingOff'));
          break;
        }
        return runSharedCommand(turn, said.command, said.lang, this.deps.handoff);
      case 'stale':
      case 'jump':
        plan.before.push(note('common:staleButton'));
        break;
      case 'unsure':
      case 'unknown': {
        const event = step?.meta.field ? fieldEvent(step.meta.field, said.text, this.claimOptions()) : undefined;
        if (event) turn.identityAnswered = session.send(event);
        else plan.before.push(note(this.useButtonsKey(turn)));
        break;
      }
      case 'notAnOption':
        plan.before.push(note(this.useButtonsKey(turn)));
        break;
      case 'empty':
        plan.before.push(note('identity:emptyAnswer'));
        break;
    }
    if (session.done) return this.finish(turn, session.output as IdentityOutput, step?.id ?? '');
  }

  view(turn: Turn): StepView {
    const context = turn.session.context as IdentityContext;
    // One question at a time: a reason belongs to the answer just given, not to a later turn
    // (an empty answer, "help"). The card keeps its reasons beside the values it shows.
    const errors = context.mode === 'form' || turn.identityAnswered ? context.errors : [];
    return { navigation: 'none', identity: { values: context.values, errors } };
  }

  /** All claims given (the ticket opens) or collection cancelled: back to troubleshooting either way. */
  private async finish(turn: Turn, output: IdentityOutput, lastStep: string): Promise<void> {
    const { data, plan, input } = turn;
    const handoff = data.handoff;
    data.handoff = undefined;
    turn.session = FlowSession.start(this.deps.troubleshooting);
    // An ending: the reports see the identity step the conversation ended at, not the fresh menu behind it.
    const ended = { flow: this.flow.name, step: lastStep };
    if (output.kind === 'declined') {
      // Handed to the support contact instead of the procedure: still the end of the chat's part.
      if (handoff) Object.assign(turn.facts, { ending: { kind: 'handoff', reason: handoff.reason }, endedAt: ended });
      // Not now, or only a question: the support contact, and the way back to the procedure.
      plan.showStep = false;
      plan.after.push(note(output.offer === 'contactOrProcedure' ? 'identity:declined.question' : 'identity:declined.notNow', undefined, [MENU_BUTTON]));
      return;
    }
    if (output.kind === 'cancelled' || !handoff || !this.deps.handoff || !input.customer) {
      plan.before.push(note('identity:cancelled'));
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
    Object.assign(turn.facts, { ending: { kind: 'handoff', reason: handoff.reason, ticketId: ticket.id }, endedAt: ended });
    plan.showStep = false;
    // How long verification usually takes was said once, before the questions (explanation).
    plan.after.push({ lines: [{ key: 'handoff:ticketCreated', values: { ticketId: ticket.id } }] });
    const switches = approvalActionFor(handoff.reason) === 'switch_2fa_to_sms_or_voice';
    const hold: NoteLine[] = switches && this.deps.resetWithdrawalHoldHours > 0 ? [{ key: 'handoff:withdrawalHold', values: { holdHours: this.deps.resetWithdrawalHoldHours } }] : [];
    plan.after.push({ lines: [{ key: wordingFor(handoff.reason).after }, ...hold], buttons: AFTER_TICKET_BUTTONS });
  }

  /** What the procedure is for this reason (no change in chat, identity first) and how long it usually takes. */
  private explanation(reason: HandoffReason): Note {
    return { lines: [{ key: wordingFor(reason).before }, ...this.verificationTime()] };
  }

  /** The exchange's usual verification time, when it sets one: said once per handoff, with the explanation. */
  private verificationTime(): NoteLine[] {
    const hours = this.deps.verificationSlaHours;
    return hours > 0 ? [{ key: 'handoff:verificationTime', values: { hours } }] : [];
  }

  /** The procedure starts: what it is (unless just said), the secrets notice once, then the questions. */
  private begin(turn: Turn, reason: HandoffReason, explained: boolean): void {
    const { data, plan, input } = turn;
    if (!explained) plan.before.push(this.explanation(reason));
    if (!data.secretsNoticeShown) {
      plan.before.push(note('handoff:secretsNotice'));
      data.secretsNoticeShown = true;
    }
    // Said once, here: the first question is asked again after a wrong answer, the introduction not.
    if (!input.cards) plan.before.push(note('identity:intro'));
  }

  private claimOptions(): { minAge: number } | undefined {
    return this.deps.minCustomerAge === undefined ? undefined : { minAge: this.deps.minCustomerAge };
  }

  /** Text the step cannot take: a question with buttons asks for a button, the card for the card. */
  private useButtonsKey(turn: Turn): string {
    return turn.session.step?.meta.form === 'identity' ? 'identity:form.useCard' : 'common:pickAnOption';
  }

  /** Checks the customer went through and answered "that didn't work" to, in order. */
  private triedSteps(trail: readonly string[]): string[] {
    const machine = this.deps.troubleshooting.machine;
    return trail.filter((id) => {
      try {
        const meta = machine.getStateNodeById(id).meta as { options?: { id: string }[] } | undefined;
        return meta?.options?.some((o) => CHECK_FAILED_OPTION_IDS.includes(o.id)) ?? false;
      } catch {
        return false;
      }
    });
  }
}

/** A question asked before the procedure (start now? a question or a change?): it offers `identity.start`. */
function isOffer(options: readonly { event: string }[] | undefined): boolean {
  return options?.some((o) => o.event === 'identity.start') ?? false;
}
