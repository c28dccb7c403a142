import type { FactsRepository } from '../facts/facts.repository';
import type { InMemoryFacts } from '../facts/in-memory-facts.spec-helper';
import { monthOf, yearOf } from '../facts/time-buckets';
import type { Rollup, StoredReport, StoredRollup } from './rollup';
import { RollupPolicy } from './rollup-policy';
import type { RollupsRepository } from './rollups.repository';
import { RollupsService } from './rollups.service';

/** RollupsRepository over rows kept in memory, with the same keys, for service tests */
export class InMemoryRollups implements Pick<RollupsRepository, 'days' | 'months' | 'year' | 'saveDay' | 'saveMonth' | 'saveYear'> {
  readonly byDay = new Map<string, StoredRollup>();
  readonly byMonth = new Map<string, StoredRollup>();
  readonly byYear = new Map<number, StoredReport>();
  /** the ranges of day rollups read, `first..last`, one entry per query */
  readonly daysRead: string[] = [];
  /** the ranges of month rollups read, `first..last`, one entry per query */
  readonly monthsRead: string[] = [];

  async days(first: string, last: string, withProducts = true): Promise<Map<string, StoredRollup>> {
    this.daysRead.push(`${first}..${last}`);
    return new Map(
      [...this.byDay]
        .filter(([day]) => monthOf(day) === monthOf(first) && day >= first && day <= last)
        .map(([day, s]) => [day, withProducts ? s : { ...s, rollup: { ...s.rollup, products: new Map() } }]),
    );
  }

  async months(first: string, last: string): Promise<Map<string, StoredRollup>> {
    this.monthsRead.push(`${first}..${last}`);
    return new Map([...this.byMonth].filter(([month]) => yearOf(month) === yearOf(first) && month >= first && month <= last));
  }

  async year(year: number): Promise<StoredReport | undefined> {
    return this.byYear.get(year);
  }

  async saveDay(day: string, readFrom: number, rollup: Rollup): Promise<void> {
    this.byDay.set(day, { rollup, readFrom: new Map([[day, readFrom]]) });
  }

  async saveMonth(month: string, stored: StoredRollup): Promise<void> {
    this.byMonth.set(month, stored);
  }

  async saveYear(year: number, stored: StoredReport): Promise<void> {
    this.byYear.set(year, stored);
  }
}

/** a RollupsService over facts and rollups kept in memory */
export const inMemoryRollupsService = (facts: InMemoryFacts, rollups = new InMemoryRollups(), policy = new RollupPolicy(60_000)) =>
  new RollupsService(facts as unknown as FactsRepository, rollups as unknown as RollupsRepository, policy);
