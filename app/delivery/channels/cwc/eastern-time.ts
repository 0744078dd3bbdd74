// Washington's clock: CWC's DeliveryDate and the Senate's maintenance windows are in US Eastern
// time, standard or daylight as the date has it. Intl knows the rules; this file asks it.

const ZONE = "America/New_York";

const wallClock = new Intl.DateTimeFormat("en-US", {
  timeZone: ZONE,
  hourCycle: "h23",
  weekday: "short",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

interface EasternWallClock {
  weekday: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function easternWallClock(at: Date): EasternWallClock {
  const parts = Object.fromEntries(wallClock.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    weekday: parts.weekday,
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
  };
}

/** The date in Washington as CWC's DeliveryDate wants it: YYYYMMDD. */
export function easternDate(at: Date): string {
  const t = easternWallClock(at);
  return `${t.year}${String(t.month).padStart(2, "0")}${String(t.day).padStart(2, "0")}`;
}

/**
 * The instant it is `hour`:00 in Washington on the given Eastern calendar day. Eastern time is
 * UTC-5 or UTC-4; of the two candidates, the one Intl reads back as that hour is right (the
 * Sunday a window ends on may be the Sunday the clocks change).
 */
function easternInstant(day: Pick<EasternWallClock, "year" | "month" | "day">, hour: number): Date {
  for (const offset of [4, 5]) {
    const candidate = new Date(Date.UTC(day.year, day.month - 1, day.day, hour + offset));
    const back = easternWallClock(candidate);
    if (back.day === day.day && back.hour === hour) return candidate;
  }
  return new Date(Date.UTC(day.year, day.month - 1, day.day, hour + 5));
}

/** The Senate's scheduled maintenance: Sunday 00:00–06:00 and Wednesday 05:00–07:00, Eastern. */
const SENATE_MAINTENANCE = [
  { weekday: "Sun", from: 0, to: 6 },
  { weekday: "Wed", from: 5, to: 7 },
];

/** When the Senate's maintenance window `at` falls in ends, or null outside the windows. */
export function senateMaintenanceEnd(at: Date): Date | null {
  const now = easternWallClock(at);
  for (const window of SENATE_MAINTENANCE) {
    if (now.weekday === window.weekday && now.hour >= window.from && now.hour < window.to) {
      return easternInstant(now, window.to);
    }
  }
  return null;
}
