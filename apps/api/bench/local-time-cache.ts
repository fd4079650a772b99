// The centre-local day and hour of an instant as the API files them, cached per UTC hour: the bench loaders
// write millions of rows, and the benchmark's zone (Paris) moves by whole hours.
import { localDateOf, zonedDateTime } from "@halte/core";

/** The centre-local day of an instant, as the API files it; cached per UTC hour (whole-hour offsets). */
export function localDayCache(timeZone: string) {
  const cache = new Map<string, string>();
  return (instant: string) => {
    const key = instant.slice(0, 13);
    let day = cache.get(key);
    if (day === undefined) {
      day = localDateOf(instant, timeZone);
      cache.set(key, day);
    }
    return day;
  };
}

/** The local hour, read once per UTC hour (the benchmark's zone, Paris, moves by whole hours). */
export function localHourCache(timeZone: string) {
  const cache = new Map<string, number>();
  return (instant: string) => {
    const key = instant.slice(0, 13);
    let hour = cache.get(key);
    if (hour === undefined) {
      hour = zonedDateTime(instant, timeZone).hour;
      cache.set(key, hour);
    }
    return hour;
  };
}
