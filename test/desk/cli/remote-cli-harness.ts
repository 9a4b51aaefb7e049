/**
 * Runs `npm run desk -- …` in-process against the real app on a loopback port, as agents with
 * real API tokens: what the tickets and audit command groups need, and nothing more.
 */
import type { AgentRole } from '../../../src/desk/agents/agent.js';
import { runDeskCli } from '../../../src/desk/cli/main.js';
import type { TicketId } from '../../../src/tickets/ticket.js';
import type { HandoffRequest } from '../../../src/tickets/handoff-request.js';
import { startApp, type RunningApp } from '../../helpers/http-app.js';
import { handoffRequest } from '../../tickets/fixtures.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export interface DeskAgent {
  readonly id: string;
  readonly token: string;
}

export interface RemoteCliHarness {
  readonly running: RunningApp;
  /** Adds an active agent with a fresh API token. */
  agent(role: AgentRole, name?: string): Promise<DeskAgent>;
  /** Opens a ticket as the bot would on a handoff; returns its number. */
  ticket(overrides?: Partial<HandoffRequest>): Promise<TicketId>;
  /** `npm run desk -- …args` with DESK_URL set to the app and DESK_TOKEN to `as` (or `env` as given). */
  run(args: readonly string[], as: DeskAgent | { env: Record<string, string> }): Promise<CliRun>;
  stop(): Promise<void>;
}

let agents = 0;

export async function startRemoteCli(): Promise<RemoteCliHarness> {
  const running = await startApp();
  const { app, baseUrl } = running;
  return {
    running,
    async agent(role, name = role) {
      agents += 1;
      const agent = await app.deskAuth.agents.create({ displayName: `${name} ${agents}`, email: `${role}${agents}@example.com`, role });
      const { secret } = await app.deskAuth.tokens.create(agent.id, { label: 'cli test' });
      return { id: agent.id, token: secret };
    },
    async ticket(overrides = {}) {
      const outcome = await app.tickets.openForHandoff(handoffRequest(overrides));
      return outcome.ticket.id;
    },
    async run(args, as) {
      let out = '';
      let err = '';
      const env = 'env' in as ? as.env : { DESK_URL: baseUrl, DESK_TOKEN: as.token };
      const code = await runDeskCli(args, {
        io: { out: (t) => void (out += t), err: (t) => void (err += t) },
        env,
        openDatabase: () => {
          throw new Error('the remote command groups must not open the database');
        },
        openPostgres: () => {
          throw new Error('the remote command groups must not open the database');
        },
      });
      return { code, out, err };
    },
    stop: () => running.stop(),
  };
}
