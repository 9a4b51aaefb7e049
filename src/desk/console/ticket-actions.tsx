/**
 * The ticket's action forms. Each is a plain HTML form (CSRF token and the ticket version in hidden
 * fields) enabled only when the desk says the agent may take it now; a disabled one says why in
 * the agent's language. Irreversible ones carry `data-confirm` for desk.js's dialog.
 */
import type { ComponentChildren } from 'preact';
import { approvalActionFor, CLOSE_REASONS, VERIFICATION_FAILURE_REASONS } from '../../../flows/ticket-lifecycle/index.js';
import { roleAtLeast } from '../agents/agent.js';
import type { TicketAction } from '../desk-permissions.js';
import { usePage } from './page-context.js';
import type { AgentAnswer, TicketAnswer } from './ticket-view.js';

type Availability = TicketAnswer['actions'][TicketAction];

/** The sentence for a refused action (`desk:refusal.*`). */
function useRefusal() {
  const { t } = usePage();
  return (a: Availability | undefined, status: string): string | null => {
    if (!a || a.allowed) return null;
    const reason = a.reason ?? 'status';
    return t(`desk:refusal.${reason}`, { role: t(`desk:roles.${a.requiredRole ?? 'supervisor'}`), status: t(`desk:status.${status}`) });
  };
}

function Hidden({ version }: { version: number }) {
  const { csrfToken } = usePage();
  return (
    <>
      <input type="hidden" name="csrf" value={csrfToken} />
      <input type="hidden" name="version" value={String(version)} />
    </>
  );
}

/** A submit button, disabled with the reason beside it when the action is not available. */
function ActionButton(props: { id: string; label: string; why: string | null; formaction?: string; confirm?: string; secondary?: boolean }) {
  return (
    <span class="action-button">
      <button
        type="submit"
        id={`do-${props.id}`}
        class={props.secondary ? 'secondary' : undefined}
        formaction={props.formaction}
        disabled={props.why !== null}
        aria-describedby={props.why !== null ? `why-${props.id}` : undefined}
        data-confirm={props.why === null ? props.confirm : undefined}
      >
        {props.label}
      </button>
      {props.why !== null ? (
        <span class="why" id={`why-${props.id}`}>
          {props.why}
        </span>
      ) : null}
    </span>
  );
}

function ActionGroup({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="action-group">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** A less frequent action with fields of its own, folded until the agent opens it. */
function MoreAction({ id, title, why, children }: { id: string; title: string; why: string | null; children: ComponentChildren }) {
  return (
    <details class="action-group more" id={`more-${id}`}>
      <summary>
        <span class="summary-title">{title}</span>
        {why !== null ? <span class="why">{why}</span> : null}
      </summary>
      {children}
    </details>
  );
}

export function TicketActions({ view, agents }: { view: TicketAnswer; agents: readonly AgentAnswer[] }) {
  const { t, agent } = usePage();
  const why = useRefusal();
  const { ticket, actions } = view;
  const base = `/desk/tickets/${ticket.id}`;
  const status = ticket.status;
  const change = approvalActionFor(ticket.reason);
  const changeText = change ? t(`desk:change.${change}`) : '';
  const mine = agent !== null && ticket.assigneeId === agent.id;
  const supervisor = agent !== null && roleAtLeast(agent.role, 'supervisor');
  const assignWhy = why(actions.assign, status);
  const decisions = { verify: why(actions.verify, status), approve: why(actions.approve, status), carryOut: why(actions.carry_out, status), resolve: why(actions.resolve, status) };
  const noDecision = Object.values(decisions).every((w) => w !== null);

  return (
    <section class="panel actions" aria-labelledby="actions-h">
      <h2 id="actions-h">{t('desk:actions.title')}</h2>

      <ActionGroup title={t('desk:actions.assignment')}>
        <form method="post" action={`${base}/assign`} class="row">
          <Hidden version={ticket.version} />
          <input type="hidden" name="assignee" value={mine ? '' : 'me'} />
          <ActionButton id="assign-self" label={mine ? t('desk:actions.release') : t('desk:actions.assignToMe')} why={assignWhy} secondary={mine} />
        </form>
        {supervisor ? (
          <form method="post" action={`${base}/assign`} class="row">
            <Hidden version={ticket.version} />
            <label for="reassign-to">{t('desk:actions.reassignTo')}</label>
            <select id="reassign-to" name="assignee" disabled={assignWhy !== null}>
              <option value="">{t('desk:actions.nobody')}</option>
              {agents
                .filter((a) => a.active)
                .map((a) => (
                  <option value={a.id} selected={a.id === ticket.assigneeId}>
                    {a.displayName}
                  </option>
                ))}
            </select>
            <ActionButton id="reassign" label={t('desk:actions.reassign')} why={assignWhy} secondary />
          </form>
        ) : null}
      </ActionGroup>

      <ActionGroup title={t('desk:actions.decision')}>
        <form method="post" action={`${base}/verify`} class="decision">
          <Hidden version={ticket.version} />
          <label for="decision-note">{t('desk:actions.noteOptional')}</label>
          <textarea id="decision-note" name="note" rows={2} maxLength={2000} disabled={noDecision} />
          <div class="buttons">
            <ActionButton id="verify" label={t('desk:actions.verify')} why={decisions.verify} confirm={t('desk:confirm.verify')} />
            <ActionButton
              id="approve"
              label={change ? t('desk:actions.approveChange', { change: changeText }) : t('desk:actions.approve')}
              why={decisions.approve}
              formaction={`${base}/approve`}
              confirm={t('desk:confirm.approve', { change: changeText })}
            />
            <ActionButton
              id="carry-out"
              label={change ? t('desk:actions.carryOutChange', { change: changeText }) : t('desk:actions.carryOut')}
              why={decisions.carryOut}
              formaction={`${base}/carry-out`}
              confirm={t('desk:confirm.carryOut')}
            />
            <ActionButton id="resolve" label={t('desk:actions.resolve')} why={decisions.resolve} formaction={`${base}/resolve`} confirm={t('desk:confirm.resolve')} />
          </div>
        </form>
      </ActionGroup>

      <MoreAction id="fail" title={t('desk:actions.fail')} why={why(actions.fail, status)}>
        <form method="post" action={`${base}/fail`} class="stack">
          <Hidden version={ticket.version} />
          <fieldset disabled={!actions.fail.allowed}>
            <legend class="visually-hidden">{t('desk:actions.fail')}</legend>
            <label for="fail-reason">{t('desk:actions.failReason')}</label>
            <select id="fail-reason" name="reason" required>
              {VERIFICATION_FAILURE_REASONS.map((r) => (
                <option value={r}>{t(`desk:failureReason.${r}`)}</option>
              ))}
            </select>
            <label for="fail-note">{t('desk:actions.noteOptional')}</label>
            <textarea id="fail-note" name="note" rows={2} maxLength={2000} />
          </fieldset>
          <ActionButton id="fail" label={t('desk:actions.failSubmit')} why={why(actions.fail, status)} confirm={t('desk:confirm.fail')} secondary />
        </form>
      </MoreAction>

      <MoreAction id="requestInfo" title={t('desk:actions.requestInfo')} why={why(actions.request_info, status)}>
        <form method="post" action={`${base}/request-info`} class="stack">
          <Hidden version={ticket.version} />
          <fieldset disabled={!actions.request_info.allowed}>
            <legend class="visually-hidden">{t('desk:actions.requestInfo')}</legend>
            <label for="info-message">{t('desk:actions.message')}</label>
            <textarea id="info-message" name="message" rows={2} maxLength={2000} required aria-describedby="info-hint" />
            <p class="hint" id="info-hint">
              {t('desk:actions.messageHint', { language: t(`desk:language.${ticket.language}`) })}
            </p>
          </fieldset>
          <ActionButton id="request-info" label={t('desk:actions.requestInfoSubmit')} why={why(actions.request_info, status)} secondary />
        </form>
      </MoreAction>

      <MoreAction id="close" title={t('desk:actions.close')} why={why(actions.close, status)}>
        <form method="post" action={`${base}/close`} class="stack">
          <Hidden version={ticket.version} />
          <fieldset disabled={!actions.close.allowed}>
            <legend class="visually-hidden">{t('desk:actions.close')}</legend>
            <label for="close-reason">{t('desk:actions.closeReason')}</label>
            <select id="close-reason" name="reason" required>
              {CLOSE_REASONS.map((r) => (
                <option value={r}>{t(`desk:closeReason.${r}`)}</option>
              ))}
            </select>
            <label for="close-note">{t('desk:actions.noteOptional')}</label>
            <textarea id="close-note" name="note" rows={2} maxLength={2000} />
          </fieldset>
          <ActionButton id="close" label={t('desk:actions.closeSubmit')} why={why(actions.close, status)} confirm={t('desk:confirm.close')} secondary />
        </form>
      </MoreAction>
    </section>
  );
}

/** The internal note form, under the history it adds to. */
export function NoteForm({ view }: { view: TicketAnswer }) {
  const { t } = usePage();
  const why = useRefusal()(view.actions.note, view.ticket.status);
  return (
    <form method="post" action={`/desk/tickets/${view.ticket.id}/note`} class="stack note-form">
      <Hidden version={view.ticket.version} />
      <label for="note-text">{t('desk:actions.note')}</label>
      <textarea id="note-text" name="note" rows={3} maxLength={2000} required disabled={why !== null} aria-describedby="note-hint" />
      <p class="hint" id="note-hint">
        {t('desk:actions.noteHint')}
      </p>
      <ActionButton id="note" label={t('desk:actions.noteSubmit')} why={why} secondary />
    </form>
  );
}
