// The dashboard's pictures, drawn on the server as SVG so they need no JavaScript, each with
// a title and description for screen readers and the same numbers in a table.
import { US_STATES } from "~/offices/states";
import { US_TILES } from "./us-tiles";

const fmt = new Intl.NumberFormat("en-US");

export interface ChartDay {
  day: string;
  signed: number;
  confirmed: number;
}

/** A "nice" axis maximum: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceMax(value: number): number {
  if (value <= 5) return 5;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Signatures per day: a bar per day for new signatures, a darker bar inside it for confirmations. */
export function SignaturesPerDayChart({ days, title }: { days: ChartDay[]; title: string }) {
  const width = 720;
  const height = 240;
  const margin = { top: 16, right: 16, bottom: 40, left: 56 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const max = niceMax(Math.max(1, ...days.map((d) => Math.max(d.signed, d.confirmed))));
  const band = days.length > 0 ? plotW / days.length : plotW;
  const barW = Math.max(1, band * 0.8);
  const y = (v: number) => margin.top + plotH - (v / max) * plotH;
  const ticks = [0, max / 2, max];
  const labelEvery = Math.max(1, Math.ceil(days.length / 6));
  const totalSigned = days.reduce((n, d) => n + d.signed, 0);
  const totalConfirmed = days.reduce((n, d) => n + d.confirmed, 0);
  const description =
    days.length === 0
      ? "No signatures yet."
      : `From ${days[0].day} to ${days[days.length - 1].day}: ${fmt.format(totalSigned)} signed, ${fmt.format(
          totalConfirmed,
        )} confirmed. The busiest day had ${fmt.format(Math.max(...days.map((d) => d.signed)))} new signatures.`;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby="chart-title chart-desc"
      preserveAspectRatio="xMidYMid meet"
    >
      <title id="chart-title">{title}</title>
      <desc id="chart-desc">{description}</desc>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={margin.left} x2={width - margin.right} y1={y(t)} y2={y(t)} className="chart-grid" />
          <text x={margin.left - 8} y={y(t)} dy="0.32em" textAnchor="end" className="chart-label">
            {fmt.format(t)}
          </text>
        </g>
      ))}
      {days.map((d, i) => {
        const x = margin.left + i * band + (band - barW) / 2;
        return (
          <g key={d.day}>
            <rect
              x={x}
              y={y(d.signed)}
              width={barW}
              height={plotH - (y(d.signed) - margin.top)}
              className="chart-signed"
            >
              <title>{`${d.day}: ${fmt.format(d.signed)} signed, ${fmt.format(d.confirmed)} confirmed`}</title>
            </rect>
            <rect
              x={x + barW * 0.2}
              y={y(d.confirmed)}
              width={barW * 0.6}
              height={plotH - (y(d.confirmed) - margin.top)}
              className="chart-confirmed"
            />
            {i % labelEvery === 0 || i === days.length - 1 ? (
              <text x={x + barW / 2} y={height - margin.bottom + 16} textAnchor="middle" className="chart-label">
                {d.day.slice(5)}
              </text>
            ) : null}
          </g>
        );
      })}
      <text x={margin.left} y={height - 6} className="chart-label">
        Day (UTC, month-day)
      </text>
      <g transform={`translate(${width - margin.right - 220}, ${height - 14})`}>
        <rect width="10" height="10" y="-9" className="chart-signed" />
        <text x="14" className="chart-label">
          signed
        </text>
        <rect x="80" width="10" height="10" y="-9" className="chart-confirmed" />
        <text x="94" className="chart-label">
          confirmed
        </text>
      </g>
    </svg>
  );
}

/** Confirmed signatures per state on a tile grid, shaded by count; each tile names its number. */
export function StateTileGrid({
  counts,
  linkFor,
}: {
  counts: Record<string, number>;
  linkFor?: (state: string) => string;
}) {
  const size = 48;
  const gap = 4;
  const max = Math.max(1, ...Object.values(counts));
  const width = 11 * (size + gap);
  const height = 9 * (size + gap);
  return (
    <svg
      className="tile-map"
      viewBox={`0 0 ${width} ${height}`}
      role="group"
      aria-label="Confirmed signatures by state"
    >
      {US_STATES.map((s) => {
        const tile = US_TILES[s.code];
        if (!tile) return null;
        const n = counts[s.code] ?? 0;
        // Shades in five steps so a small count still shows, and zero stays blank.
        const level = n === 0 ? 0 : Math.min(5, 1 + Math.floor((n / max) * 4.999));
        const label = `${s.name}: ${fmt.format(n)} confirmed`;
        const body = (
          <g transform={`translate(${tile[0] * (size + gap)}, ${tile[1] * (size + gap)})`}>
            <title>{label}</title>
            <rect width={size} height={size} rx="4" className={`tile tile-${level}`} />
            <text x={size / 2} y={19} textAnchor="middle" className={`tile-code${level >= 3 ? " on-dark" : ""}`}>
              {s.code}
            </text>
            <text x={size / 2} y={36} textAnchor="middle" className={`tile-count${level >= 3 ? " on-dark" : ""}`}>
              {n > 9999 ? `${Math.round(n / 1000)}k` : fmt.format(n)}
            </text>
          </g>
        );
        return linkFor && n > 0 ? (
          <a key={s.code} href={linkFor(s.code)} aria-label={label}>
            {body}
          </a>
        ) : (
          <g key={s.code} role="img" aria-label={label}>
            {body}
          </g>
        );
      })}
    </svg>
  );
}

/** Progress to the goal as a thermometer bar that also reads as text. */
export function GoalThermometer({ confirmed, goal, label }: { confirmed: number; goal: number; label: string }) {
  const percent = goal > 0 ? Math.min(100, Math.round((confirmed / goal) * 100)) : 0;
  return (
    <div className="thermometer">
      <p>
        <strong>{fmt.format(confirmed)}</strong> of {fmt.format(goal)} confirmed ({percent}% of the goal)
      </p>
      <div
        className="goal-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="goal-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

export const LETTER_STATE_LABELS: Record<string, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
  held: "Held",
  cancelled: "Cancelled",
};
