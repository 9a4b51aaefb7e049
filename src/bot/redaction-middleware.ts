import type { Middleware, TurnContext } from 'botbuilder';
import { parseButtonValue } from '../conversation/button-value.js';
import { redactDeep, redactionMarkerKinds, redactSecrets } from '../privacy/index.js';

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
      // The kinds are read off the markers in the result, so text that arrives already redacted (a
      // replayed transcript) warns the customer the same way as the secrets it once held.
      const found = new Set<string>();
      if (typeof activity.text === 'string') {
        activity.text = redactSecrets(activity.text).text;
        redactionMarkerKinds(activity.text).forEach((k) => found.add(k));
      }
      // Our own buttons' values (step ids, event names) are not customer text.
      if (activity.value !== undefined && !parseButtonValue(activity.value)) {
        activity.value = redactDeep(activity.value, { mask: false }).value;
        redactionMarkerKinds(JSON.stringify(activity.value) ?? '').forEach((k) => found.add(k));
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
