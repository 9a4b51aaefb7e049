/**
 * What each console form asks the desk API to do: the operation, its input built from the posted
 * fields, and the message shown after it worked. Problems from the API become messages too, in the
 * agent's language (a stale version: "someone else changed this ticket").
 */
import { isAppError } from '../../errors.js';
import type { FlashNote } from './flash.js';
import { field } from './console-http.js';

export interface FormAction {
  readonly operationId: string;
  readonly params: Record<string, string>;
  readonly body: unknown;
  /** The ticket version the form was based on (its hidden field), or null. */
  readonly version: number | null;
  readonly success: FlashNote;
}

/** A text field, or undefined when empty (optional notes). */
function text(form: unknown, name: string): string | undefined {
  const value = field(form, name);
  return value === undefined || value.trim() === '' ? undefined : value;
}

function versionOf(form: unknown): number | null {
  const v = field(form, 'version');
  return v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : null;
}

const ok = (key: string, vars?: Record<string, string>): FlashNote => ({ kind: 'ok', key, ...(vars ? { vars } : {}) });

/** The ticket forms (`POST /desk/tickets/:id/<action>`), or null for an unknown action. */
export function ticketFormAction(ticketId: string, action: string, form: unknown, myId: string): FormAction | null {
  const params = { id: ticketId };
  const version = versionOf(form);
  const note = text(form, 'note');
  const optionalNote = note === undefined ? {} : { note };
  switch (action) {
    case 'assign': {
      const assignee = field(form, 'assignee') ?? '';
      const success = assignee === 'me' || assignee === myId ? ok('assignedToMe') : assignee === '' ? ok('released') : ok('reassigned');
      return { operationId: 'assignTicket', params, version, body: { assigneeId: assignee === '' ? null : assignee }, success };
    }
    case 'note':
      return { operationId: 'addNote', params, version, body: { note: field(form, 'note') ?? '' }, success: ok('noteAdded') };
    case 'verify':
      return { operationId: 'verifyIdentity', params, version, body: optionalNote, success: ok('verified') };
    case 'fail':
      return { operationId: 'failVerification', params, version, body: { reason: field(form, 'reason'), ...optionalNote }, success: ok('failed') };
    case 'approve':
      return { operationId: 'approveChange', params, version, body: optionalNote, success: ok('approved') };
    case 'carry-out':
      return { operationId: 'markCarriedOut', params, version, body: optionalNote, success: ok('carriedOut') };
    case 'request-info':
      return { operationId: 'requestInfo', params, version, body: { message: field(form, 'message') ?? '' }, success: ok('infoRequested') };
    case 'resolve':
      return { operationId: 'resolveTicket', params, version, body: optionalNote, success: ok('resolved') };
    case 'close':
      return { operationId: 'closeTicket', params, version, body: { reason: field(form, 'reason'), ...optionalNote }, success: ok('closed') };
    default:
      return null;
  }
}

/** `POST /desk/agents/:id`: a new role, or disable / enable. */
export function agentUpdateAction(agentId: string, form: unknown): FormAction {
  const active = field(form, 'active');
  const role = field(form, 'role');
  const body = active !== undefined ? { active: active === 'true' } : { role };
  const success = active === undefined ? ok('roleChanged') : active === 'true' ? ok('enabled') : ok('disabled');
  return { operationId: 'updateAgent', params: { id: agentId }, version: null, body, success };
}

/** `POST /desk/agents/:id/tokens`: a label and an optional expiry in days. */
export function tokenBody(form: unknown): { label: string; expiresInDays?: number } {
  const days = text(form, 'expiresInDays');
  return { label: field(form, 'label') ?? '', ...(days !== undefined ? { expiresInDays: /^\d{1,5}$/.test(days.trim()) ? Number(days) : -1 } : {}) };
}

/** Fields the desk API names in `invalid_input`, shown with the form's own labels (`desk:field.*`). */
const KNOWN_FIELDS = new Set(['note', 'message', 'reason', 'assigneeId', 'displayName', 'email', 'role', 'label', 'expiresInDays', 'active', 'id', 'q', 'createdFrom', 'createdTo', 'cursor', 'since', 'until', 'ticket', 'agent', 'action', 'outcome', 'channel']);

/** The message for a refused request: a key under `desk:problem.` and its values. */
export function problemNote(code: string, err: unknown): FlashNote {
  if (code === 'invalid_input' && isAppError(err)) {
    const errors = (err.details?.['errors'] ?? []) as { field?: unknown }[];
    const fields = [...new Set(errors.map((e) => String(e.field ?? '').split('.').pop() ?? '').filter((f) => KNOWN_FIELDS.has(f)))];
    return { kind: 'error', key: 'invalid_input', vars: { fields: fields.join(',') } };
  }
  const known = ['conflict', 'precondition_required', 'same_agent', 'illegal_transition', 'forbidden', 'not_found', 'unauthorized'];
  return { kind: 'error', key: known.includes(code) ? code : 'internal' };
}
