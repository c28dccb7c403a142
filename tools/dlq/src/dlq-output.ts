import type { DeadLetterCount, DeadLetterEntry, DeadLetterListing, PurgeResult, ReplayResult } from '@ecom/kafka';

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

export function purgeText(result: PurgeResult, dryRun: boolean): string {
  if (result.count === 0) return `${result.dlt}: no dead letters, nothing to delete`;
  const partitions = table([
    ['partition', dryRun ? 'entries' : 'deleted', 'offsets'],
    ...result.partitions.map((p) => [p.partition, Number(p.high - p.low), p.high > p.low ? `${p.low}-${p.high - 1n}` : undefined]),
  ]);
  if (dryRun)
    return [
      `${result.dlt}: ${deadLetters(result.count)} to delete`,
      partitions,
      `dry run: nothing deleted. a purge deletes them for good; replay first what still needs to take effect (npm run dlq -- replay ${result.topic})`,
      `to delete them: npm run dlq -- purge ${result.topic} --yes`,
    ].join('\n');
  const lines = [`${result.dlt}: deleted ${deadLetters(result.purged)}`, partitions];
  lines.push(
    result.left === 0
      ? `${result.dlt} holds no dead letters now`
      : `${result.dlt} holds ${deadLetters(result.left)} now, which arrived during the purge and ${result.left === 1 ? 'was' : 'were'} kept: ` +
          `npm run dlq -- list ${result.topic}`,
  );
  return lines.join('\n');
}

const deadLetters = (n: number) => `${n} dead letter${n === 1 ? '' : 's'}`;

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
