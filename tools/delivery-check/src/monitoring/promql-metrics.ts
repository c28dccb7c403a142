// the metrics a PromQL expression reads, and whether a set of metric families has them. a small
// scanner, not a parser: it knows enough of PromQL to tell a metric name from a function, a keyword,
// a label name (in a selector or a by/without/on/ignoring/group_left/group_right list), a string, a
// number or a duration, and it skips Grafana's variables ($__rate_interval, ${datasource}, [[x]]).
// used by the offline check of the dashboards (dashboards.spec.ts) and by the e2e suite, which
// checks them against what the running services export (apps/platform-e2e/src/monitoring.e2e-spec.ts)

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

export interface MetricReference {
  /** the series name as written, e.g. http_server_request_duration_seconds_bucket */
  readonly name: string;
  readonly matchers: readonly LabelMatcher[];
  /** the value of a service="x" matcher (equality only) */
  readonly service?: string;
}

/** PromQL's aggregation operators: `sum by (x) (...)` has no parenthesis right after the name */
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);

/** PromQL's functions (Prometheus 3) */
const FUNCTIONS = new Set([
  'abs',
  'absent',
  'absent_over_time',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'avg_over_time',
  'ceil',
  'changes',
  'clamp',
  'clamp_max',
  'clamp_min',
  'cos',
  'cosh',
  'count_over_time',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'deg',
  'delta',
  'deriv',
  'double_exponential_smoothing',
  'exp',
  'floor',
  'histogram_avg',
  'histogram_count',
  'histogram_fraction',
  'histogram_quantile',
  'histogram_stddev',
  'histogram_stdvar',
  'histogram_sum',
  'holt_winters',
  'hour',
  'idelta',
  'increase',
  'info',
  'irate',
  'label_join',
  'label_replace',
  'last_over_time',
  'ln',
  'log10',
  'log2',
  'mad_over_time',
  'max_over_time',
  'min_over_time',
  'minute',
  'month',
  'pi',
  'predict_linear',
  'present_over_time',
  'quantile_over_time',
  'rad',
  'rate',
  'resets',
  'round',
  'scalar',
  'sgn',
  'sin',
  'sinh',
  'sort',
  'sort_by_label',
  'sort_by_label_desc',
  'sort_desc',
  'sqrt',
  'stddev_over_time',
  'stdvar_over_time',
  'sum_over_time',
  'tan',
  'tanh',
  'time',
  'timestamp',
  'vector',
  'year',
]);

/** keywords followed by a list of label names in parentheses (group_left and group_right may have none) */
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/** the other keywords: set operators, bool, offset, the @ modifier's start()/end(), and the number literals */
const KEYWORDS = new Set(['and', 'or', 'unless', 'atan2', 'bool', 'offset', 'start', 'end', 'inf', 'nan']);

const IDENTIFIER = /[A-Za-z_:][A-Za-z0-9_:]*/y;
const LABEL_NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
/** a number (1, 0.95, .5, 1e-3, 0x1f) or a duration (5m, 1h30m, 250ms) */
const NUMBER = /(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?:(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*)?/y;
const MATCH_OP = /=~|!~|!=|=/y;

class Scanner {
  i = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.i >= this.text.length;
  }

  /** the character at the cursor ('' at the end); a method, so that comparisons don't narrow it */
  char(): string {
    return this.text[this.i] ?? '';
  }

  /** the match of a sticky regex at the cursor, consumed; undefined when it does not match there */
  take(re: RegExp): string | undefined {
    re.lastIndex = this.i;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }

  /** skips white space and # comments */
  skipSpace(): void {
    while (!this.done) {
      if (/\s/.test(this.char())) this.i++;
      else if (this.char() === '#') while (!this.done && this.char() !== '\n') this.i++;
      else break;
    }
  }

  /** a quoted string at the cursor ("...", '...' or `raw`), consumed and unescaped */
  string(): string {
    const quote = this.char();
    let out = '';
    this.i++;
    while (!this.done && this.char() !== quote) {
      if (this.char() === '\\' && quote !== '`') {
        this.i++;
        const c: string = this.char();
        out += c === 'n' ? '\n' : c === 't' ? '\t' : c;
      } else out += this.char();
      this.i++;
    }
    if (this.done) throw new Error(`unterminated string in ${JSON.stringify(this.text)}`);
    this.i++;
    return out;
  }

  /** skips from an opening bracket at the cursor past its closing one, strings included */
  skipBalanced(open: string, close: string): void {
    let depth = 0;
    while (!this.done) {
      const c = this.char();
      if (c === '"' || c === "'" || c === '`') {
        this.string();
        continue;
      }
      this.i++;
      if (c === open) depth++;
      else if (c === close && --depth === 0) return;
    }
    throw new Error(`unbalanced ${open} in ${JSON.stringify(this.text)}`);
  }

  /** a Grafana variable at the cursor ($name, ${name...}), consumed */
  variable(): void {
    this.i++;
    if (this.char() === '{') this.skipBalanced('{', '}');
    else this.take(/[A-Za-z0-9_]*/y);
  }

  /**
   * the matchers of a selector at the cursor ({a="b", c=~"d"}), consumed. a lone string is the
   * metric's name in Prometheus 3's quoted form ({"my.metric", a="b"}): it comes back as __name__
   */
  matchers(): LabelMatcher[] {
    const out: LabelMatcher[] = [];
    this.i++; // {
    for (;;) {
      this.skipSpace();
      if (this.char() === '}') {
        this.i++;
        return out;
      }
      if (this.char() === ',') {
        this.i++;
        continue;
      }
      const quoted = this.char() === '"' || this.char() === "'" || this.char() === '`';
      const label = quoted ? this.string() : this.take(LABEL_NAME);
      if (label === undefined) throw new Error(`unexpected ${JSON.stringify(this.char())} in a selector of ${JSON.stringify(this.text)}`);
      this.skipSpace();
      const op = this.take(MATCH_OP) as MatchOp | undefined;
      if (op === undefined) {
        if (!quoted) throw new Error(`label ${label} has no matcher in ${JSON.stringify(this.text)}`);
        out.push({ label: '__name__', op: '=', value: label });
        continue;
      }
      this.skipSpace();
      if (!['"', "'", '`'].includes(this.char()))
        throw new Error(`label ${label} is not matched against a string in ${JSON.stringify(this.text)}`);
      out.push({ label, op, value: this.string() });
    }
  }
}

function reference(name: string, matchers: readonly LabelMatcher[]): MetricReference {
  const service = matchers.find((m) => m.label === 'service' && m.op === '=')?.value;
  return { name, matchers, ...(service !== undefined && { service }) };
}

/** every metric an expression reads, in order, as written (with _bucket, _sum, _count, _total) */
export function metricReferences(expr: string): MetricReference[] {
  const s = new Scanner(expr);
  const refs: MetricReference[] = [];
  while (!s.done) {
    const c = s.char();
    if (/\s/.test(c) || c === '#') {
      s.skipSpace();
    } else if (c === '"' || c === "'" || c === '`') {
      s.string();
    } else if (c === '$') {
      s.variable();
    } else if (c === '[') {
      // a range or a subquery: durations and variables only
      s.skipBalanced('[', ']');
    } else if (c === '{') {
      // a selector without a name before it: {__name__="x"} or {"x"}
      const matchers = s.matchers();
      const name = matchers.find((m) => m.label === '__name__' && m.op === '=')?.value;
      if (name !== undefined)
        refs.push(
          reference(
            name,
            matchers.filter((m) => m.label !== '__name__'),
          ),
        );
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expr[s.i + 1] ?? ''))) {
      s.take(NUMBER);
    } else if (/[A-Za-z_:]/.test(c)) {
      const word = s.take(IDENTIFIER) as string;
      const lower = word.toLowerCase();
      s.skipSpace();
      if (LABEL_LISTS.has(lower)) {
        if (s.char() === '(') s.skipBalanced('(', ')');
      } else if (KEYWORDS.has(lower) || AGGREGATIONS.has(lower) || FUNCTIONS.has(word) || s.char() === '(') {
        // not a metric; a call's arguments are scanned as they come
      } else {
        refs.push(reference(word, s.char() === '{' ? s.matchers() : []));
      }
    } else {
      s.i++; // an operator, a comma, a parenthesis
    }
  }
  return refs;
}

/** the metric names an expression reads, each once, as written */
export function metricNames(expr: string): string[] {
  return [...new Set(metricReferences(expr).map((r) => r.name))];
}

// ---- families -----------------------------------------------------------------------------------------

/** a metric family's type, as the exposition format (and the catalog) names it */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** the family of a name, and its type; undefined when there is none */
export type FamilyLookup = (family: string) => MetricType | undefined;

/** the series a histogram or a summary adds to its family's name, and which of the two have it */
const SERIES_SUFFIXES: readonly (readonly [string, readonly MetricType[]])[] = [
  ['_bucket', ['histogram']],
  ['_sum', ['histogram', 'summary']],
  ['_count', ['histogram', 'summary']],
];

/** the name without a histogram's series suffix (_bucket, _sum, _count); other names as they are */
export function histogramBase(name: string): string {
  const suffix = SERIES_SUFFIXES.find(([s]) => name.endsWith(s) && name.length > s.length)?.[0];
  return suffix ? name.slice(0, -suffix.length) : name;
}

export interface Family {
  readonly name: string;
  readonly type: MetricType;
}

/**
 * the family a series name belongs to: itself (counters are written with their _total, as they are
 * registered), or, for x_bucket, x_sum and x_count, the histogram or summary x. a gauge that ends in
 * _count (db_client_connection_count) is its own family. undefined when none has it: a histogram's
 * bare name is not a series either.
 */
export function familyOf(name: string, lookup: FamilyLookup): Family | undefined {
  const own = lookup(name);
  if (own !== undefined && own !== 'histogram') return { name, type: own };
  for (const [suffix, types] of SERIES_SUFFIXES) {
    if (!name.endsWith(suffix) || name.length === suffix.length) continue;
    const base = name.slice(0, -suffix.length);
    const type = lookup(base);
    if (type !== undefined && types.includes(type)) return { name: base, type };
  }
  return undefined;
}

/** why a series name is not in a set of families, for a failure message */
export function whyUnknown(name: string, lookup: FamilyLookup): string {
  if (lookup(name) === 'histogram') return `${name} is a histogram: read ${name}_bucket, ${name}_sum or ${name}_count`;
  const base = histogramBase(name);
  const type = base === name ? undefined : lookup(base);
  if (type !== undefined) return `${name}: ${base} is a ${type}, which has no ${name.slice(base.length)} series`;
  return `${name} is not there`;
}
