/**
 * The release calendar's clock rules. Norwegian statistics are published at 08:00 Oslo time on a
 * date announced in advance (SSB, FHI); "today" is the date in Oslo.
 */
export const PUBLICATION_TIME_ZONE = 'Europe/Oslo';
/** The hour a release dated ahead becomes public, when no instant is given. */
export const PUBLICATION_HOUR = 8;

const offsetFormat = new Intl.DateTimeFormat('en-GB', { timeZone: PUBLICATION_TIME_ZONE, timeZoneName: 'longOffset' });
const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: PUBLICATION_TIME_ZONE });

/** Oslo's offset from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function osloOffsetMinutes(instant: Date): number {
  const name = offsetFormat.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const [, sign, hours, minutes] = /GMT([+-])(\d{2}):(\d{2})/.exec(name) ?? [];
  if (!sign) return 0;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

/** The instant of a wall-clock time in Oslo on a date (YYYY-MM-DD). */
export function osloInstant(date: string, hour = 0): Date {
  const asUtc = Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  // The offset at the guess is the offset at the answer, except across a change of offset at
  // night (02:00-03:00), which neither midnight nor 08:00 is near.
  return new Date(asUtc - osloOffsetMinutes(new Date(asUtc)) * 60_000);
}

/** The date (YYYY-MM-DD) in Oslo at an instant. */
export function osloDate(instant: Date): string {
  return dateFormat.format(instant);
}

/**
 * When a release becomes public if its publisher gives no instant: at once (`now`) when its date
 * is today or earlier, else at 08:00 Oslo time on its date.
 */
export function defaultPublicFrom(publishedAt: string, now: Date): Date {
  return publishedAt <= osloDate(now) ? now : osloInstant(publishedAt, PUBLICATION_HOUR);
}
