/**
 * A child's wall clock. Providers report local date-times (Fitbit sleep and weight
 * entries carry no offset); a Zone turns them into real instants, and gives the child's
 * own calendar date for "today".
 */
export interface Zone {
  /** IANA name, or `UTC±hh:mm` for a fixed offset. */
  readonly name: string;
  /** The zone's offset from UTC at an instant, ms. */
  offsetAt(instant: number): number;
}

const LOCAL =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(name: string): Intl.DateTimeFormat {
  let format = formatters.get(name);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(name, format);
  }
  return format;
}

/** The IANA zone, or undefined when the runtime does not know the name. */
export function ianaZone(name: string): Zone | undefined {
  try {
    formatter(name);
  } catch {
    return undefined;
  }
  return {
    name,
    offsetAt(instant: number) {
      const parts: Record<string, number> = {};
      for (const part of formatter(name).formatToParts(new Date(instant))) {
        if (part.type !== "literal") parts[part.type] = Number(part.value);
      }
      const wall = Date.UTC(
        parts.year,
        parts.month - 1,
        parts.day,
        parts.hour,
        parts.minute,
        parts.second,
      );
      return wall - (instant - (((instant % 1000) + 1000) % 1000));
    },
  };
}

/** A zone with one fixed offset. */
export function fixedZone(offsetMs: number): Zone {
  const sign = offsetMs < 0 ? "-" : "+";
  const minutes = Math.abs(Math.round(offsetMs / 60_000));
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return { name: `UTC${sign}${hh}:${mm}`, offsetAt: () => offsetMs };
}

/** UTC. */
export const UTC: Zone = fixedZone(0);

/**
 * The instant of a local date-time (`YYYY-MM-DD[THH:mm[:ss[.sss]]]`) in the zone. A value
 * that carries its own offset (`Z` or `±hh:mm`) is read with that offset instead. Wall
 * times skipped by a DST change resolve forward; repeated ones take the first instant.
 * Returns undefined for text that is not a date-time.
 */
export function toInstant(local: string, zone: Zone): number | undefined {
  const match = LOCAL.exec(local);
  if (!match) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", ms = "0", offset] = match;
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(ms.padEnd(3, "0")),
  );
  if (Number.isNaN(wall)) return undefined;
  if (offset !== undefined) return wall - offsetOf(offset);
  // The offsets a day before and after bracket any transition near this wall time.
  const before = zone.offsetAt(wall - 86_400_000), after = zone.offsetAt(wall + 86_400_000);
  const valid = [wall - before, wall - after].filter((at, i) =>
    zone.offsetAt(at) === (i === 0 ? before : after)
  );
  // Repeated wall time: the first instant. Skipped one (no valid reading): forward.
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

/** The offset written in a date-time (`Z`, `+hh:mm`, `-hhmm`), ms. */
export function offsetOf(text: string): number {
  if (text === "Z") return 0;
  const digits = text.replace(":", "");
  const sign = digits[0] === "-" ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
}

/** The offset a local date-time text carries, if it has one. */
export function writtenOffset(local: string): number | undefined {
  const offset = LOCAL.exec(local)?.[8];
  return offset === undefined ? undefined : offsetOf(offset);
}

/** The zone's calendar date (`YYYY-MM-DD`) at an instant. */
export function localDate(instant: number, zone: Zone): string {
  return new Date(instant + zone.offsetAt(instant)).toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` date moved by whole days. */
export function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` date moved by calendar months, clamped to the end of the month. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0))
    .getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/** An instant as the platform's input DATETIME: UTC with milliseconds. */
export function isoUtc(instant: number): string {
  return new Date(instant).toISOString();
}
