/**
 * The intents the NLU recognises, and the vocabulary shared with slots.
 *
 * Names are stable identifiers (the bot maps each to a node of the troubleshooting flow); the
 * first thirteen are those of issue 4, `greeting` and `thanks` let small talk be answered
 * without sending it to `out_of_scope`.
 */
export const INTENTS = [
  'methods_overview',
  'code_rejected',
  'app_deleted',
  'sms_not_received',
  'call_not_received',
  'change_method',
  'backup',
  'phone_replacement',
  'phone_lost',
  'lockout',
  'human_agent',
  'ticket_status',
  'out_of_scope',
  'greeting',
  'thanks',
] as const;

/** One recognised intent. */
export type Intent = (typeof INTENTS)[number];

/** A two-step verification method of the exchange: SMS, authenticator app, or voice call. */
export type Method = 'sms' | 'app' | 'voice';


const INTENT_SET: ReadonlySet<string> = new Set(INTENTS);

/** Type guard for intent names read from files or user input. */
export function isIntent(value: string): value is Intent {
  return INTENT_SET.has(value);
}
