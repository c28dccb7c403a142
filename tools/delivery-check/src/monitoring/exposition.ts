// what a /metrics answer holds: its metric families (from the # TYPE lines, which prom-client writes
// for every registered metric, even one without samples yet) and its samples with their labels.
//
// the names are the ones PromQL reads. in the Prometheus text format (what the services answer,
// prom-client's default) a counter's TYPE line names it as it was registered: prom-client 15 writes
// `# TYPE messaging_client_consumed_messages_total counter` and samples of that name. in OpenMetrics
// (an answer ending in `# EOF`) the family drops the suffix (`# TYPE x counter`, samples `x_total`):
// the counter is recorded as x_total all the same. a histogram's family is its base name, its samples
// x_bucket, x_sum and x_count.
import { familyOf, type MetricType } from './promql-metrics';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Exposition {
  /** family name, as PromQL reads it -> type */
  readonly families: ReadonlyMap<string, MetricType>;
  readonly samples: readonly Sample[];
}

const TYPES: Record<string, MetricType> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'histogram',
  summary: 'summary',
  untyped: 'untyped',
  unknown: 'untyped',
  stateset: 'gauge',
  info: 'gauge',
};

const TYPE_LINE = /^#\s+TYPE\s+(\S+)\s+(\S+)\s*$/;
const SAMPLE_NAME = /^([A-Za-z_:][A-Za-z0-9_:]*)/;
const LABEL = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;

function labelsOf(line: string, start: number): Record<string, string> {
  const labels: Record<string, string> = {};
  if (line[start] !== '{') return labels;
  LABEL.lastIndex = start + 1;
  let m: RegExpExecArray | null;
  while ((m = LABEL.exec(line))) labels[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  return labels;
}

export function parseExposition(text: string): Exposition {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const openMetrics = lines.some((l) => l.trim() === '# EOF');
  const families = new Map<string, MetricType>();
  const samples: Sample[] = [];
  for (const line of lines) {
    const type = TYPE_LINE.exec(line);
    if (type) {
      const kind = type[2].toLowerCase();
      const suffix = openMetrics && kind === 'counter' ? '_total' : openMetrics && kind === 'info' ? '_info' : '';
      families.set(`${type[1]}${suffix}`, TYPES[kind] ?? 'untyped');
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const name = SAMPLE_NAME.exec(line)?.[1];
    if (name === undefined) continue;
    samples.push({ name, labels: labelsOf(line, name.length) });
  }
  // a sample of no declared family (no TYPE line before it) is an untyped family of its own; OpenMetrics'
  // x_created series belong to their counter, histogram or summary
  for (const { name } of samples)
    if (!familyOf(name, (f) => families.get(f)) && !(openMetrics && name.endsWith('_created'))) families.set(name, 'untyped');
  return { families, samples };
}
