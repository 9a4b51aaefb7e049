/**
 * What the chat says at a handoff, by reason, as the customer sees it (issue 15): the explanation
 * keyed by what the desk may approve for the reason (flows/ticket-lifecycle approvalActionFor), with
 * the exchange's usual verification time on its own line, and the question asked before the
 * identity procedure (flows/identity identityOfferFor).
 */
import { identityOfferFor, type IdentityOffer } from '../../flows/identity/index.js';
import type { HandoffReason } from '../../flows/outcome.js';
import { approvalActionFor } from '../../flows/ticket-lifecycle/index.js';
import type { Translate } from '../../src/i18n/i18n.js';

const BEFORE = {
  switch_2fa_to_sms_or_voice: 'handoff:cannotSwitchInChat',
  update_phone_number: 'handoff:cannotChangeNumberInChat',
  unlock_login: 'handoff:cannotUnlockInChat',
  none: 'handoff:reviewNeedsIdentity',
} as const;

const AFTER = {
  switch_2fa_to_sms_or_voice: 'handoff:whatNextSwitch',
  update_phone_number: 'handoff:whatNextNumber',
  unlock_login: 'handoff:whatNextUnlock',
  none: 'handoff:whatNextReview',
} as const;

/** The locale key of "what support will do, identity first" for a reason. */
export function explanationKey(reason: HandoffReason): string {
  return BEFORE[approvalActionFor(reason) ?? 'none'];
}

/** The locale key of "what happens once verified" for a reason. */
export function whatNextKey(reason: HandoffReason): string {
  return AFTER[approvalActionFor(reason) ?? 'none'];
}

/** The whole explanation message: what support will do, then (unless 0) how long verification usually takes. */
export function explanationText(t: Translate, reason: HandoffReason, hours = 48): string {
  const lines = [t(explanationKey(reason))];
  if (hours > 0) lines.push(t('handoff:verificationTime', { hours }));
  return lines.join('\n');
}

/** The question before the procedure, its locale key and its buttons (start first), or undefined. */
export function offerOf(t: Translate, reason: HandoffReason): { offer: IdentityOffer; text: string; start: string; decline: string } | undefined {
  const offer = identityOfferFor(reason);
  if (offer === 'none') return undefined;
  const [start, decline] = offer === 'startNow' ? ['startNow', 'notNow'] : ['startProcedure', 'onlyQuestion'];
  return {
    offer,
    text: t(`identity:offer.${offer}`),
    start: t(`identity:options.${start}.label`),
    decline: t(`identity:options.${decline}.label`),
  };
}
