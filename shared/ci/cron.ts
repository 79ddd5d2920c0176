/**
 * Five-field cron (minute hour day-of-month month day-of-week) for scheduled pipeline triggers
 * (SPEC §7.2), evaluated in UTC. As in Vixie cron: `*`, lists, ranges, steps, month and weekday
 * names, 0 and 7 both Sunday, and when both day fields are restricted a day matching either fires.
 */

export type Cron = {
  minute: Set<number>;
  hour: Set<number>;
  day: Set<number>;
  month: Set<number>;
  weekday: Set<number>;
  /** Whether each day field was `*` (or `*` with a step), which changes how the two combine. */
  anyDay: boolean;
  anyWeekday: boolean;
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

type FieldSpec = { name: string; min: number; max: number; names?: string[]; namesFrom?: number };
const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, namesFrom: 0 },
];

function value(token: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(token.toLowerCase()) ?? -1;
  if (named >= 0) return named + (spec.namesFrom ?? 0);
  if (!/^\d{1,2}$/.test(token)) throw new Error(`${spec.name}: "${token}" is not a number`);
  const n = Number(token);
  if (n < spec.min || n > spec.max) throw new Error(`${spec.name}: ${n} is outside ${spec.min}-${spec.max}`);
  return n;
}

function field(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw new Error(`${spec.name}: "${part}" is not a range`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0)
        throw new Error(`${spec.name}: step "${stepText}" must be a positive number`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [spec.min, spec.max];
    else {
      const [a = '', b, more] = range.split('-');
      if (more !== undefined) throw new Error(`${spec.name}: "${range}" is not a range`);
      lo = value(a, spec);
      hi = b === undefined ? (stepText === undefined ? lo : spec.max) : value(b, spec);
      if (hi < lo) throw new Error(`${spec.name}: ${range} runs backwards`);
    }
    for (let n = lo; n <= hi; n += step) out.add(n);
  }
  return out;
}

/** The parsed schedule, or why it is not one (a message fit for a field error). */
export function parseCron(text: string): { ok: true; cron: Cron } | { ok: false; message: string } {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5)
    return { ok: false, message: 'must be a 5-field cron expression (minute hour day month weekday)' };
  try {
    const [minute, hour, day, month, weekday] = parts.map((p, i) => field(p, FIELDS[i]!)) as [
      Set<number>,
      Set<number>,
      Set<number>,
      Set<number>,
      Set<number>,
    ];
    if (weekday.delete(7)) weekday.add(0);
    const cron = {
      minute,
      hour,
      day,
      month,
      weekday,
      anyDay: parts[2]!.startsWith('*'),
      anyWeekday: parts[4]!.startsWith('*'),
    };
    if (!nextSlot(cron, new Date(Date.UTC(2000, 0, 1))))
      return { ok: false, message: 'never fires (no such day in any month)' };
    return { ok: true, cron };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

function dayMatches(c: Cron, d: Date): boolean {
  const dom = c.day.has(d.getUTCDate());
  const dow = c.weekday.has(d.getUTCDay());
  if (c.anyDay && c.anyWeekday) return true;
  if (c.anyDay) return dow;
  if (c.anyWeekday) return dom;
  return dom || dow;
}

/** Eight years covers every leap-day schedule; anything not found by then never fires. */
const HORIZON_MS = 8 * 366 * 86_400_000;

/** The first slot strictly after `after` (whole minutes, UTC), or null if none within years. */
export function nextSlot(c: Cron, after: Date): Date | null {
  const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  const end = after.getTime() + HORIZON_MS;
  while (t.getTime() <= end) {
    if (!c.month.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(c, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!c.hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!c.minute.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else return t;
  }
  return null;
}

const CATCH_UP_MS = 86_400_000;

/**
 * The newest slot in (`after`, `now`], the one a sweep fires: slots missed while no sweep ran are
 * not made up one by one, only the newest of them fires, and none older than a day.
 */
export function dueSlot(c: Cron, after: Date, now: Date): Date | null {
  const from = new Date(Math.max(after.getTime(), now.getTime() - CATCH_UP_MS));
  let due: Date | null = null;
  for (let s = nextSlot(c, from); s && s <= now; s = nextSlot(c, s)) due = s;
  return due;
}
