/**
 * `/desk/agents` (admins): every agent with role and state and a form to add one; an agent's page
 * to change the role, disable or enable them, and list, create and revoke their API tokens; and
 * the page that shows a new token's secret, once.
 */
import { AGENT_ROLES } from '../agents/agent.js';
import { formatDateTime } from './format.js';
import { ConsoleLayout, type Flash } from './layout.js';
import { usePage } from './page-context.js';
import type { AgentAnswer, TokenAnswer } from './ticket-view.js';

function Csrf() {
  const { csrfToken } = usePage();
  return <input type="hidden" name="csrf" value={csrfToken} />;
}

function When({ iso }: { iso: string | null }) {
  const { lang, timeZone, now, t } = usePage();
  return iso ? <time datetime={iso}>{formatDateTime(iso, lang, timeZone, now)}</time> : <span class="muted">{t('desk:agents.never')}</span>;
}

function RoleSelect({ id, current }: { id: string; current?: string }) {
  const { t } = usePage();
  return (
    <select id={id} name="role" required>
      {AGENT_ROLES.map((r) => (
        <option value={r} selected={r === (current ?? 'agent')}>
          {t(`desk:roles.${r}`)}
        </option>
      ))}
    </select>
  );
}

export function AgentsPage({ agents, flash }: { agents: readonly AgentAnswer[]; flash: Flash | null }) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('desk:agents.title')} section="agents" flash={flash}>
      <div class="page-head">
        <h1>{t('desk:agents.title')}</h1>
      </div>
      <div class="two-col">
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('desk:agents.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('desk:agents.col.name')}</th>
                <th scope="col">{t('desk:agents.col.email')}</th>
                <th scope="col">{t('desk:agents.col.role')}</th>
                <th scope="col">{t('desk:agents.col.state')}</th>
                <th scope="col">{t('desk:agents.col.created')}</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr class={a.active ? undefined : 'inactive'}>
                  <th scope="row">
                    <a href={`/desk/agents/${encodeURIComponent(a.id)}`}>{a.displayName}</a>
                  </th>
                  <td class="email">{a.email}</td>
                  <td class="nowrap">{t(`desk:roles.${a.role}`)}</td>
                  <td>
                    <span class={`state state-${a.active ? 'active' : 'disabled'}`}>{a.active ? t('desk:agents.active') : t('desk:agents.disabled')}</span>
                  </td>
                  <td class="nowrap">
                    <When iso={a.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <section class="panel" aria-labelledby="add-agent-h">
          <h2 id="add-agent-h">{t('desk:agents.add')}</h2>
          <form method="post" action="/desk/agents" class="stack">
            <Csrf />
            <label for="new-name">{t('desk:agents.col.name')}</label>
            <input id="new-name" name="displayName" required maxLength={100} autocomplete="off" />
            <label for="new-email">{t('desk:agents.col.email')}</label>
            <input id="new-email" name="email" type="email" required maxLength={254} autocomplete="off" />
            <label for="new-role">{t('desk:agents.col.role')}</label>
            <RoleSelect id="new-role" />
            <p class="hint">{t('desk:agents.addHint')}</p>
            <div>
              <button type="submit">{t('desk:agents.addSubmit')}</button>
            </div>
          </form>
        </section>
      </div>
    </ConsoleLayout>
  );
}

export function AgentPage({ agent, tokens, flash }: { agent: AgentAnswer; tokens: readonly TokenAnswer[]; flash: Flash | null }) {
  const { t, now, agent: me } = usePage();
  const self = me?.id === agent.id;
  const base = `/desk/agents/${encodeURIComponent(agent.id)}`;
  const tokenState = (tk: TokenAnswer) => (tk.revokedAt ? 'revoked' : tk.expiresAt && Date.parse(tk.expiresAt) <= now.getTime() ? 'expired' : 'active');
  return (
    <ConsoleLayout title={agent.displayName} section="agents" flash={flash}>
      <p class="breadcrumb">
        <a href="/desk/agents">{t('desk:agents.back')}</a>
      </p>
      <div class="page-head">
        <h1>
          {agent.displayName} <span class={`state state-${agent.active ? 'active' : 'disabled'}`}>{agent.active ? t('desk:agents.active') : t('desk:agents.disabled')}</span>
        </h1>
        <p class="sla-note">
          {agent.email} · {t(`desk:roles.${agent.role}`)}
        </p>
      </div>
      <div class="two-col">
        <section class="panel" aria-labelledby="tokens-h">
          <h2 id="tokens-h">{t('desk:agents.tokens')}</h2>
          {tokens.length === 0 ? (
            <p class="muted">{t('desk:agents.noTokens')}</p>
          ) : (
            <table class="compact">
              <caption class="visually-hidden">{t('desk:agents.tokens')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('desk:agents.token.label')}</th>
                  <th scope="col">{t('desk:agents.token.prefix')}</th>
                  <th scope="col">{t('desk:agents.token.created')}</th>
                  <th scope="col">{t('desk:agents.token.expires')}</th>
                  <th scope="col">{t('desk:agents.token.lastUsed')}</th>
                  <th scope="col">{t('desk:agents.col.state')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('desk:agents.token.revoke')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((tk) => (
                  <tr>
                    <td>{tk.label}</td>
                    <td>
                      <code>{tk.prefix}…</code>
                    </td>
                    <td>
                      <When iso={tk.createdAt} />
                    </td>
                    <td>{tk.expiresAt ? <When iso={tk.expiresAt} /> : <span class="muted">{t('desk:agents.token.noExpiry')}</span>}</td>
                    <td>
                      <When iso={tk.lastUsedAt} />
                    </td>
                    <td>{t(`desk:agents.token.state.${tokenState(tk)}`)}</td>
                    <td>
                      {tokenState(tk) === 'revoked' ? null : (
                        <form method="post" action={`${base}/tokens/${encodeURIComponent(tk.id)}/revoke`}>
                          <Csrf />
                          <button type="submit" class="small danger" data-confirm={t('desk:confirm.revoke', { label: tk.label })} aria-label={t('desk:agents.token.revokeLabel', { label: tk.label })}>
                            {t('desk:agents.token.revoke')}
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t('desk:agents.token.create')}</h3>
          {self ? (
            <form method="post" action={`${base}/tokens`} class="row wrap">
              <Csrf />
              <label for="token-label">{t('desk:agents.token.label')}</label>
              <input id="token-label" name="label" required maxLength={100} size={16} />
              <label for="token-days">{t('desk:agents.token.expiresInDays')}</label>
              <input id="token-days" name="expiresInDays" type="number" min={1} max={3650} size={5} />
              <button type="submit">{t('desk:agents.token.createSubmit')}</button>
            </form>
          ) : (
            <p class="hint">{t('desk:agents.token.othersHint', { email: agent.email })}</p>
          )}
        </section>
        <section class="panel" aria-labelledby="account-h">
          <h2 id="account-h">{t('desk:agents.account')}</h2>
          <form method="post" action={base} class="row">
            <Csrf />
            <label for="agent-role">{t('desk:agents.col.role')}</label>
            <RoleSelect id="agent-role" current={agent.role} />
            <button type="submit" class="secondary">
              {t('desk:agents.changeRole')}
            </button>
          </form>
          <form method="post" action={base} class="row">
            <Csrf />
            <input type="hidden" name="active" value={agent.active ? 'false' : 'true'} />
            <button type="submit" class={agent.active ? 'danger' : undefined} data-confirm={agent.active ? t('desk:confirm.disable', { name: agent.displayName }) : undefined}>
              {agent.active ? t('desk:agents.disable') : t('desk:agents.enable')}
            </button>
            {self && agent.active ? <span class="why">{t('desk:agents.disableSelfWarning')}</span> : null}
          </form>
          <p class="hint">{t('desk:agents.disableHint')}</p>
        </section>
      </div>
    </ConsoleLayout>
  );
}

/** A token's secret, shown once (after adding an agent or creating a token). */
export function SecretPage({ agent, secret, token }: { agent: Pick<AgentAnswer, 'id' | 'displayName'>; secret: string; token: TokenAnswer }) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('desk:agents.secretTitle')} section="agents" flash={null}>
      <h1>{t('desk:agents.secretTitle')}</h1>
      <div class="flash flash-ok" role="status">
        {t('desk:agents.secretIntro', { name: agent.displayName, label: token.label })}
      </div>
      <p>
        <label for="secret">{t('desk:agents.secretLabel')}</label>
      </p>
      <p class="secret-row">
        <input id="secret" class="secret" readOnly value={secret} size={60} spellcheck={false} autocomplete="off" />
        <button type="button" class="copy secondary small" data-copy="secret" data-copied={t('desk:claims.copied')} hidden>
          {t('desk:claims.copy')}
        </button>
      </p>
      <p class="hint">{t('desk:agents.secretHint')}</p>
      <p>
        <a class="button" href={`/desk/agents/${encodeURIComponent(agent.id)}`}>
          {t('desk:agents.secretDone')}
        </a>
      </p>
    </ConsoleLayout>
  );
}
