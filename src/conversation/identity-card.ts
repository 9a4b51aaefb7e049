import type { ClaimValues, FieldError } from '../../flows/identity/index.js';
import type { Translate } from '../i18n/i18n.js';

/** The `value.t` of the identity form's submit action. */
export const IDENTITY_FORM_TAG = 'identity';

/**
 * The identity claims form as an Adaptive Card 1.5 (Teams' ceiling; Web Chat and the Emulator
 * render it too). Values already given are filled in and each rejected field shows its reason,
 * so a correction never costs the customer what they typed.
 */
export function identityCard(
  t: Translate,
  values: ClaimValues,
  errors: readonly FieldError[],
  cancel: { step: string; event: string },
): Record<string, unknown> {
  const errorOf = (field: string) => errors.find((e) => e.field === field);
  // Web Chat refuses to render a required input without an errorMessage: every required field
  // carries one (the reason it was rejected, else what is missing).
  const input = (id: keyof ClaimValues, required: boolean) => {
    const error = errorOf(id);
    const message = error ? t(`identity:errors.${error.code}`) : required ? t(`identity:errors.${id}.required`) : undefined;
    return {
      id,
      label: t(`identity:form.${id}.label`),
      placeholder: t(`identity:form.${id}.placeholder`),
      value: values[id] ?? '',
      ...(required ? { isRequired: true } : {}),
      ...(message ? { errorMessage: message } : {}),
    };
  };
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: t('identity:form.title'), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: t('identity:form.intro'), wrap: true, isSubtle: true },
  ];
  if (errors.length > 0) {
    body.push({
      type: 'TextBlock',
      wrap: true,
      color: 'Attention',
      text: errors.map((e) => `• ${t(`identity:errors.${e.code}`)}`).join('\n'),
    });
  }
  body.push(
    { type: 'Input.Text', style: 'Email', maxLength: 254, ...input('email', true) },
    { type: 'Input.Text', maxLength: 100, ...input('fullName', true) },
    { type: 'Input.Date', ...input('dateOfBirth', true) },
    { type: 'Input.Text', style: 'Tel', maxLength: 4, ...input('phoneLast4', false) },
    { type: 'Input.Text', isMultiline: true, maxLength: 1000, ...input('description', true) },
  );
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: [
      { type: 'Action.Submit', title: t('identity:form.submit'), style: 'positive', data: { t: IDENTITY_FORM_TAG } },
      {
        type: 'Action.Submit',
        title: t('identity:options.cancel.label'),
        associatedInputs: 'none',
        data: { t: 'answer', step: cancel.step, event: cancel.event },
      },
    ],
  };
}
