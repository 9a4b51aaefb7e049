import { describe, expect, it } from 'vitest';
import { AFTER_TICKET_BUTTONS, note } from '../../src/conversation/turn-plan.js';
import { menuTurn, renderer, t } from './turn-support.js';

describe('a turn rendered once from its plan', () => {
  it('says the notes, then the current step with its buttons, then what comes after', () => {
    const turn = menuTurn();
    turn.plan.before.push(note('common:help'));
    turn.plan.after.push(note('common:resolvedClosing'));
    const replies = renderer.render(turn, { navigation: 'mainMenu' });
    const en = t('en');
    expect(replies.map((r) => r.text)).toEqual([en('common:help'), en('troubleshooting:mainMenu.prompt'), en('common:resolvedClosing')]);
    // The menu's topics and a person, the other language (the main menu's navigation).
    expect(replies[1]!.buttons?.map((b) => b.title)).toContain(en('common:buttons.agent'));
    expect(replies[1]!.buttons?.map((b) => b.title)).toContain(en('common:buttons.otherLanguage'));
  });

  it("makes a step's buttons once per language and navigation, frozen, and shares them (issue 16)", () => {
    const buttons = (lang: 'ja' | 'en', navigation: 'mainMenu' | 'question') => renderer.render(menuTurn(lang), { navigation }).at(-1)!.buttons!;
    expect(buttons('en', 'mainMenu')).toBe(buttons('en', 'mainMenu'));
    expect(buttons('ja', 'mainMenu')).not.toBe(buttons('en', 'mainMenu'));
    expect(buttons('en', 'question')).not.toBe(buttons('en', 'mainMenu'));
    const shared = buttons('en', 'mainMenu');
    expect(Object.isFrozen(shared) && shared.every((b) => Object.isFrozen(b) && Object.isFrozen(b.value))).toBe(true);
    expect(shared.map((b) => b.title)).toContain(t('en')('common:buttons.agent'));
  });

  it('leaves the step out when the plan says so (a closing, a ticket)', () => {
    const turn = menuTurn();
    turn.plan.showStep = false;
    turn.plan.after.push(note('handoff:existingTicket', { ticketId: 'TFA-ABCD2345', status: { key: 'tickets:status.verified' } }, AFTER_TICKET_BUTTONS));
    const replies = renderer.render(turn, { navigation: 'mainMenu' });
    expect(replies).toHaveLength(1);
    const en = t('en');
    expect(replies[0]!.text).toBe(en('handoff:existingTicket', { ticketId: 'TFA-ABCD2345', status: en('tickets:status.verified') }));
    expect(replies[0]!.buttons?.map((b) => b.title)).toEqual([en('common:buttons.status'), en('common:buttons.menu')]);
  });

  it('speaks the language the turn ended in, for notes planned before the switch too', () => {
    const turn = menuTurn('en');
    turn.plan.before.push(note('common:help'));
    turn.data.lang = 'ja';
    expect(renderer.render(turn, { navigation: 'mainMenu' })[0]!.text).toBe(t('ja')('common:help'));
  });

  it('greets and warns about a removed secret before anything else', () => {
    const turn = menuTurn('en', { secretsFound: ['totp'] });
    turn.greeted = true;
    turn.plan.before.push(note('common:unsure'));
    const texts = renderer.render(turn, { navigation: 'mainMenu' }).map((r) => r.text);
    const en = t('en');
    expect(texts.slice(0, 3)).toEqual([en('common:welcome'), en('common:secretRedacted'), en('common:unsure')]);
  });

  it('offers suggested topics as buttons that jump there', () => {
    const turn = menuTurn('ja');
    turn.plan.showStep = false;
    turn.plan.after.push(note('nlu:clarify', undefined, [{ topic: 'smsNotReceived' }]));
    const [reply] = renderer.render(turn, { navigation: 'mainMenu' });
    expect(reply!.buttons).toEqual([{ title: t('ja')('options:smsNotReceived.label'), value: { t: 'jump', topic: 'smsNotReceived' } }]);
  });
});
