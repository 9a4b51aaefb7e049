import type { Language, Translate } from '../i18n/i18n.js';
import type { StepView } from './phase.js';
import type { Reply, ReplyButton } from './reply.js';
import type { StepRenderer } from './step-renderer.js';
import type { Turn } from './turn.js';
import { note, type Note, type NoteLine, type PlannedButton } from './turn-plan.js';

/**
 * Says a whole turn, once, at its end and in the language it ended in (free text or a command may
 * have switched it): the greeting and the secret warning, the plan's notes, the current step as
 * its phase shows it, then what comes after.
 */
export class TurnRenderer {
  constructor(private readonly steps: StepRenderer) {}

  render(turn: Turn, view: StepView): Reply[] {
    const { data, input, plan } = turn;
    const preface: Note[] = [];
    if (turn.greeted) preface.push(note('common:welcome'));
    if (input.secretsFound && input.secretsFound.length > 0) preface.push(note('common:secretRedacted'));
    const step = plan.showStep ? this.steps.render(data.lang, turn.session.step, { ...view, cards: input.cards ?? false }) : [];
    return [...[...preface, ...plan.before].map((n) => this.note(data.lang, n)), ...step, ...plan.after.map((n) => this.note(data.lang, n))];
  }

  /** One note as a message: its lines joined by newlines, its buttons under it. */
  note(lang: Language, said: Note): Reply {
    const t = this.steps.t(lang);
    const text = said.lines.map((line) => say(t, line)).join('\n');
    return said.buttons ? { text, buttons: said.buttons.map((b) => this.button(lang, t, b)) } : { text };
  }

  private button(lang: Language, t: Translate, button: PlannedButton): ReplyButton {
    if ('topic' in button) return { title: t(`options:${button.topic}.label`), value: { t: 'jump', topic: button.topic } };
    if ('rating' in button) return { title: String(button.rating), value: { t: 'rate', about: button.about, value: button.rating } };
    return this.steps.commandButton(lang, button.command, button.label);
  }
}

function say(t: Translate, line: NoteLine): string {
  if (!line.values) return t(line.key);
  const values = Object.fromEntries(Object.entries(line.values).map(([name, v]) => [name, typeof v === 'object' ? t(v.key) : v]));
  return t(line.key, values);
}
