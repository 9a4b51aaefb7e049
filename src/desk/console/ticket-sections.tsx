/**
 * The read-only parts of the ticket page about the case: the customer's identity claims (with copy
 * buttons), the history as a timeline, and customer notifications with their delivery.
 */
import type { ComponentChildren } from 'preact';
import { formatDateTime } from './format.js';
import { usePage } from './page-context.js';
import type { TicketAnswer } from './ticket-view.js';

export function Time({ iso }: { iso: string | null }) {
  const { lang, timeZone, now } = usePage();
  if (!iso) return null;
  return <time datetime={iso}>{formatDateTime(iso, lang, timeZone, now)}</time>;
}

export function Panel({ id, title, children, className }: { id: string; title: string; children: ComponentChildren; className?: string }) {
  return (
    <section class={`panel ${className ?? ''}`.trim()} aria-labelledby={`${id}-h`} id={id}>
      <h2 id={`${id}-h`}>{title}</h2>
      {children}
    </section>
  );
}

/** Identity claims; each value has a copy button that desk.js reveals (without it, the text is selectable). */
export function Claims({ claims }: { claims: TicketAnswer['claims'] }) {
  const { t } = usePage();
  const rows: [string, string, string | undefined][] = [
    ['fullName', t('desk:claims.fullName'), claims.fullName],
    ['email', t('desk:claims.email'), claims.email],
    ['dateOfBirth', t('desk:claims.dateOfBirth'), claims.dateOfBirth],
    ['phoneLast4', t('desk:claims.phoneLast4'), claims.phoneLast4],
  ];
  return (
    <Panel id="claims" title={t('desk:claims.title')}>
      <dl class="claims">
        {rows.map(([key, label, value]) => (
          <div class="claim">
            <dt id={`claim-${key}-label`}>{label}</dt>
            <dd>
              {value === undefined ? (
                <span class="muted">{t('desk:claims.notGiven')}</span>
              ) : (
                <>
                  <span class="value" id={`claim-${key}`}>
                    {value}
                  </span>
                  <CopyButton target={`claim-${key}`} label={label} />
                </>
              )}
            </dd>
          </div>
        ))}
        <div class="claim description">
          <dt>{t('desk:claims.description')}</dt>
          <dd>
            <p class="value text" id="claim-description">
              {claims.description}
            </p>
            <CopyButton target="claim-description" label={t('desk:claims.description')} />
          </dd>
        </div>
      </dl>
    </Panel>
  );
}

function CopyButton({ target, label }: { target: string; label: string }) {
  const { t } = usePage();
  return (
    <button type="button" class="copy secondary small" data-copy={target} data-copied={t('desk:claims.copied')} aria-label={t('desk:claims.copyLabel', { field: label })} hidden>
      {t('desk:claims.copy')}
    </button>
  );
}

/** Who did something, by name. */
export function useActorName(agentNames: ReadonlyMap<string, string>) {
  const { t } = usePage();
  return (actor: { kind: string; id: string }) =>
    actor.kind === 'agent' ? (agentNames.get(actor.id) ?? actor.id) : actor.kind === 'customer' ? t('desk:history.customer') : t('desk:history.system');
}

export function Timeline({ history, agentNames }: { history: TicketAnswer['history']; agentNames: ReadonlyMap<string, string> }) {
  const { t } = usePage();
  const actorName = useActorName(agentNames);
  const describe = (h: TicketAnswer['history'][number]): string => {
    const d = (h.detail ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    switch (h.event) {
      case 'ticket.assigned':
        return d['assigneeId'] ? t('desk:history.assigned', { name: agentNames.get(str(d['assigneeId'])) ?? str(d['assigneeId']) }) : t('desk:history.released');
      case 'identity.rejected':
        return t('desk:history.rejected', { reason: t(`desk:failureReason.${str(d['failureReason']) || 'other'}`) });
      case 'approval.granted':
        return d['approvalAction'] ? t('desk:history.approvedChange', { change: t(`desk:change.${str(d['approvalAction'])}`) }) : t('desk:history.approved');
      case 'ticket.closed':
        return t('desk:history.closed', { reason: t(`desk:closeReason.${str(d['closeReason']) || 'other'}`) });
      default:
        return t(`desk:history.event.${h.event.replace('.', '_')}`);
    }
  };
  return (
    <ol class="timeline">
      {[...history].reverse().map((h) => (
        <li class={`event event-${h.event.replace('.', '-')}`}>
          <div class="event-head">
            <strong>{describe(h)}</strong>
            <span class="meta">
              {actorName(h.actor)} · <Time iso={h.at} />
              {h.from !== null && h.from !== h.to ? <> · {t('desk:history.statusChange', { from: t(`desk:status.${h.from}`), to: t(`desk:status.${h.to}`) })}</> : null}
            </span>
          </div>
          {h.note !== null && h.note !== '' ? (
            <p class={`note text ${h.event === 'info.requested' ? 'to-customer' : ''}`.trim()}>
              {h.event === 'note.added' ? null : <span class="note-label">{h.event === 'info.requested' ? t('desk:history.sentToCustomer') : t('desk:history.internalNote')}</span>}
              {h.note}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function Notifications({ view }: { view: TicketAnswer }) {
  const { t, csrfToken } = usePage();
  if (view.notifications.length === 0) return <p class="muted">{t('desk:notifications.none')}</p>;
  return (
    <table class="compact">
      <caption class="visually-hidden">{t('desk:notifications.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('desk:notifications.col.kind')}</th>
          <th scope="col">{t('desk:notifications.col.status')}</th>
          <th scope="col">{t('desk:notifications.col.when')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('desk:notifications.col.action')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {view.notifications.map((n) => (
          <tr class={n.status === 'failed' ? 'failed' : undefined}>
            <td>{t(`desk:notifications.kind.${n.kind}`)}</td>
            <td>
              <span class={`delivery delivery-${n.status}`}>{t(`desk:notifications.status.${n.status}`)}</span>
              {n.attempts > 1 ? <span class="meta"> {t('desk:notifications.attempts', { count: n.attempts })}</span> : null}
              {n.status === 'failed' && n.lastError ? <div class="meta error-text">{n.lastError}</div> : null}
            </td>
            <td>
              <Time iso={n.deliveredAt ?? n.createdAt} />
            </td>
            <td>
              {n.status === 'failed' ? (
                <form method="post" action={`/desk/tickets/${view.ticket.id}/notifications/${n.id}/retry`}>
                  <input type="hidden" name="csrf" value={csrfToken} />
                  <button type="submit" class="small">
                    {t('desk:notifications.retry')}
                  </button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
