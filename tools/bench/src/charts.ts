import type { BenchReport, Row, SagaStep } from './report';

// one self-contained SVG: the ratios against their targets, then the saga's latency by arrival rate
const WIDTH = 760;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x}" y="${y}" ${attrs}>${esc(s)}</text>`;

/** rows whose ratio is against a baseline (×), as bars with the target as a tick */
function ratioPanel(rows: Row[], top: number): { svg: string; height: number } {
  const bars = rows.filter((r) => r.ratio !== undefined && r.unit !== 'ms');
  const left = 300;
  const scale = (WIDTH - left - 60) / Math.max(1.2, ...bars.map((r) => r.ratio ?? 0));
  const parts = [text(10, top + 16, 'throughput against the raw baseline, same run (×)', 'font-weight="bold"')];
  bars.forEach((r, i) => {
    const y = top + 30 + i * 26;
    const w = Math.max(1, (r.ratio ?? 0) * scale);
    const target = Number(/([\d.]+)×/.exec(r.target)?.[1] ?? NaN);
    parts.push(text(10, y + 14, `${r.workload}: ${r.subject}`.slice(0, 48)));
    parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="18" fill="${r.pass ? '#3a7d44' : '#c0392b'}"/>`);
    parts.push(text(left + w + 6, y + 14, `${(r.ratio ?? 0).toFixed(2)}×`));
    if (Number.isFinite(target)) {
      const x = left + target * scale;
      parts.push(`<line x1="${x}" y1="${y - 2}" x2="${x}" y2="${y + 20}" stroke="#222" stroke-dasharray="3 2"/>`);
    }
  });
  const x1 = left + scale;
  parts.push(`<line x1="${x1}" y1="${top + 24}" x2="${x1}" y2="${top + 30 + bars.length * 26}" stroke="#999"/>`);
  parts.push(text(x1 - 8, top + 30 + bars.length * 26 + 14, '1×', 'fill="#666"'));
  return { svg: parts.join('\n'), height: 30 + bars.length * 26 + 30 };
}

/** commit → CONFIRMED p50 and p99 by offered rate, log scale, one line per catalog */
function sagaPanel(steps: SagaStep[], top: number): { svg: string; height: number } {
  const height = 260;
  const left = 70;
  const plotW = WIDTH - left - 40;
  const plotH = height - 70;
  const maxRate = Math.max(...steps.map((s) => s.offered));
  const maxMs = Math.max(1_000, ...steps.map((s) => (Number.isFinite(s.confirmedP99) ? s.confirmedP99 : 0)));
  const x = (rate: number) => left + (rate / maxRate) * plotW;
  const y = (ms: number) => top + 30 + plotH - (Math.log10(Math.max(1, ms)) / Math.log10(maxMs)) * plotH;
  const parts = [text(10, top + 16, 'saga: order commit → CONFIRMED by offered orders/s (ms, log scale)', 'font-weight="bold"')];
  for (const ms of [10, 50, 100, 500, 1_000, 10_000].filter((m) => m <= maxMs)) {
    parts.push(`<line x1="${left}" y1="${y(ms)}" x2="${left + plotW}" y2="${y(ms)}" stroke="#eee"/>`);
    parts.push(text(10, y(ms) + 4, `${ms} ms`, 'fill="#666"'));
  }
  const colours: Record<string, [string, string]> = {};
  const palette: [string, string][] = [
    ['#1f77b4', '#aec7e8'],
    ['#ff7f0e', '#ffbb78'],
  ];
  for (const catalog of [...new Set(steps.map((s) => s.catalog))]) {
    const c = (colours[catalog] = palette[Object.keys(colours).length % palette.length]);
    const mine = steps.filter((s) => s.catalog === catalog);
    for (const [key, colour] of [
      ['confirmedP99', c[0]],
      ['confirmedP50', c[1]],
    ] as const) {
      const points = mine.filter((s) => Number.isFinite(s[key])).map((s) => `${x(s.offered).toFixed(1)},${y(s[key]).toFixed(1)}`);
      if (points.length) parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    }
    for (const s of mine)
      parts.push(`<circle cx="${x(s.offered)}" cy="${y(s.confirmedP99)}" r="4" fill="${s.sustainable ? '#3a7d44' : '#c0392b'}"/>`);
    parts.push(text(left + 10, top + 44 + Object.keys(colours).length * 16, `${catalog}: p99 (dark), p50 (light)`, `fill="${c[0]}"`));
  }
  for (const s of steps) parts.push(text(x(s.offered) - 10, top + 30 + plotH + 16, `${s.offered}`, 'fill="#666"'));
  return { svg: parts.join('\n'), height };
}

export function benchChart(report: BenchReport): string {
  const ratios = ratioPanel(report.rows, 10);
  const saga = report.saga.length ? sagaPanel(report.saga, 10 + ratios.height) : { svg: '', height: 0 };
  const height = 20 + ratios.height + saga.height;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ratios.svg,
    saga.svg,
    text(10, height - 6, `npm run bench, ${report.startedAt}, ${report.machine.cpus} cores, Node ${report.machine.node}`, 'fill="#666"'),
    '</svg>',
  ].join('\n');
}
