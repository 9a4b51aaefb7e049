/**
 * axe-core on a page, as the browser tests use it: the serious and critical violations, each as
 * "rule (impact) targets".
 *
 * Legacy mode runs axe.run in the page itself. The default mode runs a part in each frame and then
 * merges the parts in a new blank page with axe injected again: about four fifths of a check's time
 * on this machine (5 s -> 1 s for a page of 600 elements), for iframes, which legacy mode does not
 * look into. The desk's pages have none; a page that gets one fails here instead of going unchecked.
 * Only the violations are asked for: the passes' details were most of what came back over the wire.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export async function seriousAxeViolations(page: Page, options: { exclude?: string } = {}): Promise<string[]> {
  const frames = await page.locator('iframe').count();
  if (frames > 0) throw new Error(`${page.url()} has ${frames} iframe(s): check it with AxeBuilder's default mode, which looks into frames`);
  let builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] });
  if (options.exclude) builder = builder.exclude(options.exclude);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
