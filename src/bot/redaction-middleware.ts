import type { Middleware, TurnContext } from 'botbuilder';
import { parseButtonValue } from '../conversation/button-value.js';
import { redactDeep, redactSecrets } from '../privacy/index.js';

const FOUND_KEY = Symbol('redactedSecretKinds');

/**
 * Replaces secrets (one-time codes, setup keys, otpauth URIs, recovery phrases, labelled
 * passwords) in the incoming activity before anything else sees it: state, tickets,
 * transcripts, logs. Must be the first middleware. Personal data is not masked here (the
 * identity form needs the e-mail address); stores that keep text mask it themselves.
 */
export function redactionMiddleware(): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const activity = context.activity;
      const found = new Set<string>();
      if (typeof activity.text === 'string') {
        const r = redactSecrets(activity.text);
        r.found.forEach((k) => found.add(k));
        activity.text = r.text;
      }
      // Our own buttons' values (step ids, event names) are not customer text.
      if (activity.value !== undefined && !parseButtonValue(activity.value)) {
        const r = redactDeep(activity.value, { mask: false });
        r.found.forEach((k) => found.add(k));
        activity.value = r.value;
      }
      context.turnState.set(FOUND_KEY, [...found]);
      await next();
    },
  };
}

/** The secret kinds removed from this turn's activity (empty when none). */
export function redactedSecretKinds(context: TurnContext): string[] {
  return (context.turnState.get(FOUND_KEY) as string[] | undefined) ?? [];
}
