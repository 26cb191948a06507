/**
 * Times as a shopper reads them: in their own time zone (the channel's `localTimezone` when it
 * names a valid IANA zone, as Web Chat does from the browser), else the shop's, Asia/Shanghai.
 */
import type { Activity } from 'botbuilder';

export const SHOP_TIME_ZONE = 'Asia/Shanghai';

export function shopperTimeZone(activity: Partial<Activity>): string {
  const zone = activity.localTimezone;
  if (typeof zone === 'string' && zone !== '') {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return zone;
    } catch {
      // Not a zone this runtime knows: the shop's time is the next best guess.
    }
  }
  return SHOP_TIME_ZONE;
}

/** `2025-06-01 16:05` in `timeZone`. */
export function localDateTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
