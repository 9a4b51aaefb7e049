import { CLAIM_FIELDS, type ClaimValues, type FieldError } from '../../flows/identity/index.js';
import { deepFreeze } from '../deep-freeze.js';
import type { Language, Localizer, Translate } from '../i18n/i18n.js';
import type { Command } from './button-value.js';
import type { CurrentStep } from './flow-session.js';
import { identityCard } from './identity-card.js';
import { optionKeyPrefix } from './option-keys.js';
import type { Reply, ReplyButton } from './reply.js';

/** Which navigation buttons a step gets besides its own answers. */
export type NavigationSet = 'mainMenu' | 'question' | 'none';

export interface RenderOptions {
  readonly navigation: NavigationSet;
  /** Form steps: render as an Adaptive Card (true) or as text with buttons (false). */
  readonly cards: boolean;
  /** Identity values and errors, for form steps and re-asked fields. */
  readonly identity?: { readonly values: ClaimValues; readonly errors: readonly FieldError[] };
}

/**
 * Turns a step's meta into replies in one language: its messages, then its options as buttons
 * on the last message, plus the navigation every step offers (back, start over; on the main
 * menu a person and the other language).
 */
export class StepRenderer {
  /**
   * A step's buttons, per step (its meta object), language and navigation: the same every time,
   * so made once and frozen. Sharing them lets the bot's replies share their suggested actions,
   * which the transcript then checks and serialises once (issue 16). Bounded by the steps of the
   * machines times two languages times three navigation sets.
   */
  private readonly buttonsOf = new WeakMap<object, Map<string, readonly ReplyButton[]>>();

  constructor(private readonly localizer: Localizer) {}

  t(lang: Language): Translate {
    return this.localizer.forLanguage(lang);
  }

  render(lang: Language, step: CurrentStep | undefined, options: RenderOptions): Reply[] {
    if (!step) return [];
    const t = this.t(lang);
    let texts = step.meta.messages.map((key) => t(key));
    // The answers shown back, with the question under them in one message (the customer's private
    // chat; stored transcripts mask the e-mail and phone digits as everywhere).
    if (step.meta.summary === 'identity') texts = [[identitySummary(t, options.identity?.values ?? {}), ...texts].join('\n')];
    const errors = options.identity?.errors ?? [];
    if (step.meta.form === 'identity' && options.cards) {
      const cancel = step.meta.options[0];
      const card = identityCard(t, options.identity?.values ?? {}, errors, { step: step.id, event: cancel?.event ?? 'identity.cancel' });
      const intro: Reply[] = texts.map((text) => ({ text }));
      return [...intro, { text: '', card }];
    }
    // A re-asked field: its reason comes first.
    const reasons = errors.map((e) => t(`identity:errors.${e.code}`));
    if (step.meta.options.length === 0) return [...reasons, ...texts].map((text) => ({ text }));
    const all = [...reasons, ...texts];
    const last = all.pop() ?? '';
    return [...all.map((text) => ({ text })), { text: last, buttons: this.stepButtons(lang, step, options.navigation) }];
  }

  private stepButtons(lang: Language, step: CurrentStep, navigation: NavigationSet): readonly ReplyButton[] {
    let byView = this.buttonsOf.get(step.meta);
    if (!byView) this.buttonsOf.set(step.meta, (byView = new Map()));
    const view = `${lang}\u0000${navigation}\u0000${step.id}`;
    let buttons = byView.get(view);
    if (!buttons) {
      const t = this.t(lang);
      const made: ReplyButton[] = step.meta.options.map((o) => ({
        title: t(`${optionKeyPrefix(o.id)}.label`),
        value: { t: 'answer', step: step.id, event: o.event },
      }));
      made.push(...this.navigation(lang, navigation));
      buttons = deepFreeze(made);
      byView.set(view, buttons);
    }
    return buttons;
  }

  navigation(lang: Language, set: NavigationSet): ReplyButton[] {
    switch (set) {
      case 'none':
        return [];
      case 'mainMenu': {
        const other: Language = lang === 'ja' ? 'en' : 'ja';
        return [
          this.commandButton(lang, 'agent', 'common:buttons.agent'),
          { title: this.t(lang)('common:buttons.otherLanguage'), value: { t: 'command', command: 'language', lang: other } },
        ];
      }
      case 'question':
        return [this.commandButton(lang, 'back', 'common:buttons.back'), this.commandButton(lang, 'restart', 'common:buttons.menu')];
    }
  }

  commandButton(lang: Language, command: Command, key: string): ReplyButton {
    return { title: this.t(lang)(key), value: { t: 'command', command } };
  }
}

/** The identity answers, one line per field under a header; an optional field not given says so. */
function identitySummary(t: Translate, values: ClaimValues): string {
  const lines = CLAIM_FIELDS.map((field) => t('identity:review.line', { label: t(`identity:review.labels.${field}`), value: values[field] ?? t('identity:review.notGiven') }));
  return [t('identity:review.header'), ...lines].join('\n');
}
