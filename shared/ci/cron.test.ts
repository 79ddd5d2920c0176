import { describe, expect, it } from 'vitest';
import { type Cron, dueSlot, nextSlot, parseCron } from './cron';

const cron = (text: string): Cron => {
  const r = parseCron(text);
  if (!r.ok) throw new Error(r.message);
  return r.cron;
};
const at = (iso: string) => new Date(iso);

describe('cron schedules', () => {
  it('refuses what is not five valid fields, saying which field is wrong', () => {
    expect(parseCron('* * * *')).toMatchObject({ ok: false, message: expect.stringContaining('5-field') });
    expect(parseCron('60 * * * *')).toEqual({ ok: false, message: 'minute: 60 is outside 0-59' });
    expect(parseCron('* 5-2 * * *')).toEqual({ ok: false, message: 'hour: 5-2 runs backwards' });
    expect(parseCron('*/0 * * * *')).toMatchObject({ ok: false, message: expect.stringContaining('step') });
    expect(parseCron('* * * foo *')).toMatchObject({ ok: false, message: expect.stringContaining('month') });
    expect(parseCron('0 0 30 2 *')).toEqual({ ok: false, message: 'never fires (no such day in any month)' });
  });

  it('finds the next slot with steps, ranges, names and Sunday as 0 or 7', () => {
    expect(nextSlot(cron('*/15 * * * *'), at('2026-12-07T10:07:30Z'))).toEqual(at('2026-12-07T10:15:00Z'));
    expect(nextSlot(cron('0 9-17/4 * * *'), at('2026-12-07T10:00:00Z'))).toEqual(at('2026-12-07T13:00:00Z'));
    // 2026-12-07 is a Monday: the next Sunday 02:30 is the 13th.
    expect(nextSlot(cron('30 2 * * 7'), at('2026-12-07T00:00:00Z'))).toEqual(at('2026-12-13T02:30:00Z'));
    expect(nextSlot(cron('30 2 * * SUN'), at('2026-12-07T00:00:00Z'))).toEqual(at('2026-12-13T02:30:00Z'));
    expect(nextSlot(cron('0 0 1 jan *'), at('2026-12-07T00:00:00Z'))).toEqual(at('2027-01-01T00:00:00Z'));
    expect(nextSlot(cron('0 0 29 2 *'), at('2026-12-07T00:00:00Z'))).toEqual(at('2028-02-29T00:00:00Z'));
    // Both day fields restricted: either matches (the 1st, or a Friday).
    expect(nextSlot(cron('0 0 1 * 5'), at('2026-12-07T00:00:00Z'))).toEqual(at('2026-12-11T00:00:00Z'));
  });

  it('fires only the newest missed slot, and nothing twice', () => {
    const c = cron('*/10 * * * *');
    expect(dueSlot(c, at('2026-12-07T10:00:00Z'), at('2026-12-07T10:35:00Z'))).toEqual(
      at('2026-12-07T10:30:00Z'),
    );
    expect(dueSlot(c, at('2026-12-07T10:30:00Z'), at('2026-12-07T10:39:59Z'))).toBeNull();
    expect(dueSlot(c, at('2026-12-07T10:30:00Z'), at('2026-12-07T10:40:00Z'))).toEqual(
      at('2026-12-07T10:40:00Z'),
    );
  });
});
