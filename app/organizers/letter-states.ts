// The delivery states the dashboard counts letters in (shared by the server and the pages).
export const LETTER_STATES = ["queued", "sending", "sent", "failed", "held", "cancelled"] as const;
export type LetterState = (typeof LETTER_STATES)[number];

/** How many days the chart shows at most (the table below it has every day). */
export const CHART_DAYS = 120;
