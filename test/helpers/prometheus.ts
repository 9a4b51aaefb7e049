/**
 * Reads a /metrics answer with a Prometheus text-format parser (parse-prometheus-text-format, a
 * port of the Prometheus Python client's parser that throws on a malformed line), so the tests
 * check what a scraper would read.
 *
 * The parser folds a histogram's series into one and drops their labels, `_count` and `_sum`
 * when the histogram has labels (ours has `channel`). So the text is read twice: as is, for the
 * families, their types and help; and without its TYPE lines, where every sample line (each
 * `_bucket`, `_count`, `_sum` too) is a family of its own with its labels.
 */
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';

export interface Exposition {
  /** Each family by name, as typed by its TYPE line. */
  readonly families: ReadonlyMap<string, PrometheusFamily>;
  /** Each sample name (`x`, `x_bucket`, `x_count`…) with its labelled samples. */
  readonly samples: ReadonlyMap<string, PrometheusFamily>;
}

function byName(families: readonly PrometheusFamily[]): Map<string, PrometheusFamily> {
  const map = new Map<string, PrometheusFamily>();
  for (const f of families) {
    if (map.has(f.name)) throw new Error(`metric family ${f.name} appears twice`);
    map.set(f.name, f);
  }
  return map;
}

/** Untyped, a histogram's `_bucket` lines of each label set come as a group of their own: one list per name. */
function samplesByName(families: readonly PrometheusFamily[]): Map<string, PrometheusFamily> {
  const map = new Map<string, PrometheusFamily>();
  for (const f of families) {
    const seen = map.get(f.name);
    map.set(f.name, seen ? { ...seen, metrics: [...seen.metrics, ...f.metrics] } : f);
  }
  return map;
}

export function parseMetrics(text: string): Exposition {
  return {
    families: byName(parsePrometheusTextFormat(text)),
    samples: samplesByName(parsePrometheusTextFormat(text.replace(/^# TYPE .*$/gm, ''))),
  };
}

const matches = (labels: Readonly<Record<string, string>> | undefined, wanted: Readonly<Record<string, string>>) =>
  Object.entries(wanted).every(([k, v]) => labels?.[k] === v);

/**
 * The value of sample `name` (a counter, a gauge, or a histogram's `_count`/`_sum`/`_bucket`)
 * whose labels include `labels`; 0 when that series does not exist (yet). Throws for an unknown name.
 */
export function valueOf(exposition: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const family = exposition.families.get(name) ?? exposition.families.get(name.replace(/_(count|sum|bucket)$/, ''));
  if (!family) throw new Error(`no metric ${name}`);
  const sample = exposition.samples.get(name)?.metrics.find((m) => matches(m.labels, labels));
  return sample ? Number(sample.value) : 0;
}

/** The label values of `label` over the samples of `name`. */
export function labelValues(exposition: Exposition, name: string, label: string): string[] {
  return (exposition.samples.get(name)?.metrics ?? []).map((m) => m.labels?.[label] ?? '');
}
