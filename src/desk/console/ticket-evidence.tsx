/**
 * The ticket page's evidence of what the customer went through: the conversation as a chat, the
 * questions and answers of their path through the guide, and the tree diagram of that path.
 */
import { usePage } from './page-context.js';
import { Time } from './ticket-sections.js';
import type { TicketAnswer } from './ticket-view.js';

/** The conversation as a chat: the customer on the right, the bot on the left. */
export function Transcript({ lines }: { lines: TicketAnswer['transcript'] }) {
  const { t } = usePage();
  if (lines.length === 0) return <p class="muted">{t('desk:transcript.empty')}</p>;
  return (
    <ol class="chat" tabindex={0} aria-label={t('desk:transcript.title')}>
      {lines.map((line) => (
        <li class={`msg msg-${line.from}`}>
          <span class="visually-hidden">{line.from === 'customer' ? t('desk:transcript.customer') : t('desk:transcript.bot')}: </span>
          <p class="bubble text">{line.text}</p>
          <span class="meta" aria-hidden={line.at ? undefined : 'true'}>
            <Time iso={line.at} />
          </span>
        </li>
      ))}
    </ol>
  );
}

/** The questions the customer went through with the answers that led on. */
export function CustomerPath({ view }: { view: TicketAnswer }) {
  const { t } = usePage();
  /** The step's short name, as the tree diagram labels it (`tree:step.<id>`), when it has one. */
  const titleOf = (stepId: string): string | null => {
    const key = `tree:step.${stepId}`;
    const text = t(key);
    return text === key || text === key.slice('tree:'.length) ? null : text;
  };
  return (
    <>
      {view.path.length === 0 ? (
        <p class="muted">{t('desk:path.none')}</p>
      ) : (
        <ol class="path">
          {view.path.map((step) => (
            <li>
              {titleOf(step.stepId) ? <span class="step-title text">{titleOf(step.stepId)}</span> : null}
              <span class="question text">{step.question}</span>
              <span class="answer">{step.answer === null ? t('desk:path.handedOver') : `→ ${step.answer}`}</span>
            </li>
          ))}
        </ol>
      )}
      {view.stepsTried.length > 0 ? (
        <>
          <h3>{t('desk:path.stepsTried')}</h3>
          <ul class="tried">
            {view.stepsTried.map((s) => (
              <li class="text">{s.title}</li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/**
 * The troubleshooting tree drawn from the machine, the customer's path highlighted. The markup
 * comes from src/desk/tree, which escapes every text it writes; desk.js adds a fit-to-width switch.
 */
export function TreeDiagram({ svg }: { svg: string }) {
  const { t } = usePage();
  return (
    <figure class="tree" aria-labelledby="tree-caption">
      <figcaption id="tree-caption">
        {t('desk:path.treeCaption')}
        <button type="button" class="secondary small" id="tree-fit" data-fit={t('desk:path.treeFit')} data-actual={t('desk:path.treeActual')} aria-controls="tree-frame" hidden>
          {t('desk:path.treeFit')}
        </button>
      </figcaption>
      <div class="tree-frame" id="tree-frame" tabindex={0} aria-labelledby="tree-caption" dangerouslySetInnerHTML={{ __html: svg }} />
    </figure>
  );
}
