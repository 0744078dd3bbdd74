// What the dashboard's pages share with its server code (no server-only imports here).

/** How many days the chart shows at most (the table below it has every day). */
export const CHART_DAYS = 120;
