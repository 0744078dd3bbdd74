// Every status a delivery can be in, for the organizers' filters (browser and server).
export const DELIVERY_FILTER_STATUSES = ["queued", "sending", "sent", "failed", "held", "cancelled"] as const;
