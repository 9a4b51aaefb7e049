/**
 * Locale keys of the titles of the command buttons a clarifying question offers ("which of these
 * is closest?"): the troubleshooting phase shows them, and the interpreter reads a title
 * typed back against them.
 */
export const CLARIFY_LABELS: Readonly<Record<string, string>> = {
  restart: 'nlu:noneOfThese',
  agent: 'common:buttons.agent',
  status: 'common:buttons.status',
  outOfScope: 'nlu:somethingElse',
};
