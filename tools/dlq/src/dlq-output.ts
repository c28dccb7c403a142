import type { DeadLetterCount, DeadLetterEntry, DeadLetterListing, ReplayResult } from '@ecom/kafka';

const ERROR_WIDTH = 60;

/** rows as left-aligned columns, the first row as a header */
export function table(rows: readonly (readonly unknown[])[]): string {
  const text = rows.map((r) => r.map((c) => (c === undefined ? '-' : String(c))));
  const widths = text[0].map((_, i) => Math.max(...text.map((r) => r[i].length)));
  return text
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function countsText(counts: readonly DeadLetterCount[]): string {
  const rows = counts.map((c) => [c.dlt, c.exists ? c.count : 'not created yet']);
  const total = counts.reduce((n, c) => n + c.count, 0);
  return `${table([['dead-letter topic', 'entries'], ...rows])}\n${total} dead letter${total === 1 ? '' : 's'} in all`;
}

export function listingText(listing: DeadLetterListing): string {
  const head = `${listing.dlt}: ${listing.count} entr${listing.count === 1 ? 'y' : 'ies'}`;
  if (listing.entries.length === 0) return head;
  return `${head}, newest ${listing.entries.length} first\n${entriesTable(listing.entries)}`;
}

export function replayText(result: ReplayResult, dryRun: boolean): string {
  const lines = [`${result.dlt}: ${result.scanned} read, ${result.selected.length} selected`];
  if (result.missingIds.length > 0) lines.push(`not in ${result.dlt}: ${result.missingIds.join(', ')}`);
  for (const e of result.unroutable) lines.push(`skipped offset ${e.offset}: no known original topic in its headers`);
  if (dryRun) {
    if (result.selected.length > 0)
      lines.push(
        'would send:',
        table([
          ['to', 'event id', 'key', 'from'],
          ...result.selected.map((s) => [s.topic, s.entry.eventId, s.entry.key, `${result.dlt}/${s.entry.partition}/${s.entry.offset}`]),
        ]),
      );
    lines.push('dry run: nothing sent');
  } else {
    lines.push(`replayed ${result.replayed} to ${result.topic}`);
  }
  return lines.join('\n');
}

function entriesTable(entries: readonly DeadLetterEntry[]): string {
  return table([
    ['offset', 'failed at', 'event id', 'key', 'from', 'reason', 'attempts', 'error'],
    ...entries.map((e) => [
      e.offset,
      e.failedAt,
      e.eventId,
      e.key,
      e.originalTopic && `${e.originalTopic}/${e.originalPartition}/${e.originalOffset}`,
      e.reason,
      e.attempts,
      e.error && (e.error.length > ERROR_WIDTH ? `${e.error.slice(0, ERROR_WIDTH - 1)}…` : e.error),
    ]),
  ]);
}
