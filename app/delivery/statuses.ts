// Every status a delivery can be in: the one list the queue, the organizers' filters and the
// dashboard's counts read (browser and server alike, so no server-only imports here).
export const DELIVERY_STATUSES = ["queued", "sending", "sent", "failed", "held", "cancelled"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
