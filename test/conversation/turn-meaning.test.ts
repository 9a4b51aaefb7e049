import { describe, expect, it } from 'vitest';
import { MAIN_MENU_ID } from '../../flows/troubleshooting/index.js';
import type { Understanding } from '../../src/conversation/intent-routing.js';
import { Interpreter } from '../../src/conversation/interpreter.js';
import { followTextLanguage, TurnInterpreter } from '../../src/conversation/turn-meaning.js';
import { localizer, menuTurn } from './turn-support.js';

/** The NLU, as a record of what it was asked: every text is SMS trouble, written in English. */
function recordingNlu() {
  const asked: string[] = [];
  const understand = (text: string): Understanding => {
    asked.push(text);
    return { intent: 'sms_not_received', confidence: 0.9, ranking: [], slots: {}, locale: 'en' };
  };
  const reader = new TurnInterpreter({ interpreter: new Interpreter(localizer), understand, confident: 0.6, mainMenuId: MAIN_MENU_ID });
  return { asked, reader };
}

describe('the input of a turn, interpreted once', () => {
  it('free text at the menu is read for a topic, and in which language it is written', () => {
    const { asked, reader } = recordingNlu();
    const step = menuTurn('ja').session.step;
    const meaning = reader.read({ kind: 'message', text: 'the text message never arrives' }, step, 'ja', true);
    expect(meaning.topic).toMatchObject({ kind: 'jump', topic: 'smsNotReceived' });
    expect(meaning.writtenIn).toBe('en');
    expect(asked).toEqual(['the text message never arrives']);
  });

  it("a number or title typed at a clarifying question picks what it offered, in the same one reading", () => {
    const { asked, reader } = recordingNlu();
    const step = menuTurn('ja').session.step;
    const offered = ['topic:smsNotReceived', 'topic:callNotReceived', 'command:agent', 'command:restart'];
    expect(reader.read({ kind: 'message', text: '3' }, step, 'ja', true, offered)).toEqual({ said: { kind: 'command', command: 'agent' } });
    expect(reader.read({ kind: 'message', text: '2番' }, step, 'ja', true, offered)).toEqual({ said: { kind: 'jump', topic: 'callNotReceived' } });
    expect(reader.read({ kind: 'message', text: 'どれでもない' }, step, 'ja', true, offered)).toEqual({ said: { kind: 'command', command: 'restart' } });
    expect(asked).toEqual([]);
    // Without a question on screen, "3" is the menu's own third choice, not the agent.
    expect(reader.read({ kind: 'message', text: '3' }, step, 'ja', true).said).not.toEqual({ kind: 'command', command: 'agent' });
  });

  it('identity answers (personal data) never reach the NLU', () => {
    const { asked, reader } = recordingNlu();
    const meaning = reader.read({ kind: 'message', text: 'Taro Yamada, born 1990' }, menuTurn().session.step, 'en', false);
    expect(meaning).toEqual({ said: { kind: 'unknown', text: 'Taro Yamada, born 1990' } });
    expect(asked).toEqual([]);
  });

  it('a pasted secret alone says nothing about a topic or a language', () => {
    const { asked, reader } = recordingNlu();
    const meaning = reader.read({ kind: 'message', text: '[redacted:otp]' }, menuTurn().session.step, 'ja', true);
    expect(meaning.topic).toEqual({ kind: 'secretOnly' });
    expect(meaning.writtenIn).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('the reply follows the written language, unless the customer chose one', () => {
    const data = menuTurn('ja').data;
    followTextLanguage(data, 'en');
    expect(data).toMatchObject({ lang: 'en', langFromText: true });
    const chosen = { ...menuTurn('ja').data, langChosen: true };
    followTextLanguage(chosen, 'en');
    expect(chosen.lang).toBe('ja');
  });
});
