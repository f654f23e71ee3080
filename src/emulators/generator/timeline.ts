import type { Clock } from "../../core/clock.ts";

/**
 * The generator's clock and calendar: events are bucketed by month and run in order, with the
 * state's clock set to the event's day so created_at/updated_at spread over the years.
 */
export class Timeline {
  readonly start: number;
  readonly months: number;
  #t: number;
  readonly #buckets: Array<Array<() => void>>;
  readonly clock: Clock;

  constructor(startDate: string, months: number) {
    this.start = Date.parse(`${startDate}T00:00:00Z`);
    this.months = months;
    this.#t = this.start;
    this.#buckets = Array.from({ length: months }, () => []);
    this.clock = {
      now: () => this.#t,
      setTimer: () => () => {},
      sleep: async () => {},
    };
  }

  /** `YYYY-MM-DD` of day `day` (1-28) of month `month` (0-based from the start). */
  date(month: number, day: number): string {
    const d = new Date(this.start);
    d.setUTCMonth(d.getUTCMonth() + month, Math.min(28, Math.max(1, day)));
    return d.toISOString().slice(0, 10);
  }

  at(month: number, event: () => void): void {
    if (month < 0 || month >= this.months) return;
    this.#buckets[month]!.push(event);
  }

  /** Sets the clock to noon of `date` plus `seq` seconds (keeps stamps increasing within a day). */
  setDay(date: string, seq: number): void {
    this.#t = Date.parse(`${date}T12:00:00Z`) + seq * 1000;
  }

  run(): void {
    for (let m = 0; m < this.months; m++) {
      const bucket = this.#buckets[m]!;
      for (let i = 0; i < bucket.length; i++) bucket[i]!();
      bucket.length = 0;
    }
  }
}
