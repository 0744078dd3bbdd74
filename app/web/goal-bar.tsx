/** Signatures against the goal, as a bar that reads as text without CSS or colour. */
// Made once: a NumberFormat takes longer to make than a whole render of this bar.
const fmt = new Intl.NumberFormat("en-US");

export function GoalBar({ count, goal }: { count: number; goal: number }) {
  const percent = goal > 0 ? Math.min(100, Math.round((count / goal) * 100)) : 0;
  return (
    <div className="goal">
      <p className="goal-count" aria-live="polite">
        <strong data-testid="signature-count">{fmt.format(count)}</strong> {count === 1 ? "person has" : "people have"}{" "}
        signed. Goal: {fmt.format(goal)}.
      </p>
      <div
        className="goal-bar"
        role="progressbar"
        aria-label="Progress to the goal"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="goal-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
