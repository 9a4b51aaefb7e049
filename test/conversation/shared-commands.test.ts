import { describe, expect, it } from 'vitest';
import { MAIN_MENU_ID } from '../../flows/troubleshooting/index.js';
import { runSharedCommand } from '../../src/conversation/shared-commands.js';
import { MemoryTicketRepository } from '../../src/tickets/memory-ticket-repository.js';
import { ticketHandoffPort } from '../../src/tickets/ticket-handoff-port.js';
import { createTicketService } from '../../src/tickets/ticket-service.js';
import { customer, menuTurn, t, textsOf } from './turn-support.js';

describe('commands every phase shares', () => {
  it('start over: back at the main menu, told so before the menu is shown again', async () => {
    const turn = menuTurn();
    turn.session.send({ type: 'topic.smsNotReceived' });
    expect(turn.session.step?.id).not.toBe(MAIN_MENU_ID);
    await runSharedCommand(turn, 'restart', undefined, undefined);
    expect(turn.session.step?.id).toBe(MAIN_MENU_ID);
    const texts = textsOf(turn);
    expect(texts[0]).toBe(t('en')('common:restarted'));
    expect(texts.at(-1)).toBe(t('en')('troubleshooting:mainMenu.prompt'));
  });

  it('back at the first step: says there is nowhere to go back to, and asks the same question', async () => {
    const turn = menuTurn('ja');
    await runSharedCommand(turn, 'back', undefined, undefined);
    expect(turn.session.step?.id).toBe(MAIN_MENU_ID);
    expect(textsOf(turn)[0]).toBe(t('ja')('common:cannotGoBack'));
  });

  it('back after a step: the previous question, without a note', async () => {
    const turn = menuTurn();
    turn.session.send({ type: 'topic.smsNotReceived' });
    await runSharedCommand(turn, 'back', undefined, undefined);
    expect(turn.session.step?.id).toBe(MAIN_MENU_ID);
    expect(turn.plan.before).toEqual([]);
  });

  it('language: the conversation stays in the chosen language, and says so in it', async () => {
    const turn = menuTurn('ja');
    await runSharedCommand(turn, 'language', 'en', undefined);
    expect(turn.data).toMatchObject({ lang: 'en', langChosen: true });
    expect(textsOf(turn)[0]).toBe(t('en')('common:languageChanged'));
  });

  it('status without tickets: says there are none', async () => {
    const turn = menuTurn();
    await runSharedCommand(turn, 'status', undefined, undefined);
    expect(textsOf(turn)[0]).toBe(t('en')('common:noTickets'));
  });

  it("status: one line per ticket, the status's and reason's names in the customer's language", async () => {
    const port = ticketHandoffPort(createTicketService({ repository: new MemoryTicketRepository() }));
    const ticket = await port.openTicket({
      customer,
      reason: 'phone_lost_no_backup',
      language: 'ja',
      claims: { email: 'taro@example.com', fullName: '山田 太郎', dateOfBirth: '1990-04-01', description: 'スマホを無くしました' },
      path: [],
      stepsTried: [],
    });
    const turn = menuTurn('ja');
    await runSharedCommand(turn, 'status', undefined, port);
    const [header, line] = textsOf(turn)[0]!.split('\n');
    expect(header).toBe(t('ja')('tickets:statusHeader'));
    expect(line).toContain(ticket.id);
    expect(line).toContain(t('ja')('tickets:status.awaiting_verification'));
    expect(line).toContain(t('ja')('tickets:reason.phone_lost_no_backup'));
  });
});
