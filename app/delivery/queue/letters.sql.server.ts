// The letters queue's plain SQL besides the claim (./claim.sql.server.ts): the writes every letter
// costs (its attempt rows, its "sent") and the read of a batch for sending. Plain SQL because
// Prisma's query compiler made each of these take several times as long as the statement itself
// (0.65 ms against 0.16 ms for "sent" on SQLite, measured), and they were most of a worker's time
// per letter (bench/README.md).
import type { DbClient, DbProvider } from "~/db/client.server";
import { dbBool, dbDate, directSql, sqlRoad, type DirectSql, type SqlRoad } from "~/db/direct-sql.server";
import { newId } from "~/db/ids";
import { Prisma } from "~/generated/prisma/client";
import { parseChannelsOff, parseCwcBills, parseCwcTopics } from "../channels/outgoing-letter";
import type { LetterForDelivery } from "../message.server";
import {
  claimDialect,
  claimUnderRateLock,
  dueCandidates,
  notPaused,
  rateLimitedDeliveries,
  type ClaimDialect,
} from "./claim.sql.server";
import type { AttemptResult, ClaimedDelivery, ClaimOptions, SentLetter } from "./store";

/** A letter that went out, as recordSent records it. */
export interface SentRecord {
  attemptId: string;
  id: string;
  workerId: string;
  sent: SentLetter;
}

/** The letters queue's statements, run on the road this client has (see sqlRoad). */
export interface DeliveriesSql {
  claim(options: ClaimOptions): Promise<ClaimedDelivery[]>;
  loadForSending(ids: readonly string[]): Promise<Map<string, LetterForDelivery>>;
  startAttempts(
    attempts: ReadonlyArray<{ deliveryId: string; number: number; worker: string; startedAt?: Date }>,
  ): Promise<Map<string, string>>;
  finishAttempt(attemptId: string, result: AttemptResult): Promise<void>;
  /** "Sent", only while the lease is still this worker's: whether it was. */
  markSent(id: string, workerId: string, sent: SentLetter): Promise<boolean>;
  /**
   * The attempt's outcome (whatever became of the lease, so the log tells the truth) and "sent"
   * (only while the lease is still this worker's: the answer), one after the other.
   */
  recordSent(record: SentRecord): Promise<boolean>;
  /**
   * The same for a group of letters, all or nothing, in one write: one transaction on SQLite, one
   * statement on PostgreSQL; each letter's answer in order. Only on the direct road (undefined
   * inside a transaction: a write on another connection would not be part of it).
   */
  recordSentGroup: ((group: SentRecord[]) => Promise<boolean[]>) | undefined;
}

export function deliveriesSql(db: DbClient, provider: DbProvider): DeliveriesSql {
  const road = sqlRoad(db);
  const dialect = claimDialect(provider);
  const markSent = async (id: string, workerId: string, sent: SentLetter) =>
    (await road.run(markSentSql(id, workerId, sent))) === 1;
  const direct = directSql(db);
  const writeGroup = provider === "postgresql" ? recordSentGroupPostgres : recordSentGroupSqlite;
  return {
    async claim(options) {
      if (options.limit <= 0) return [];
      const claim = claimDeliveriesSql(dialect, options);
      return claimedFromRows(
        provider === "postgresql" && options.officeRatePerMinute
          ? await claimUnderRateLock<ClaimedRow>(db, claim)
          : await road.all<ClaimedRow>(claim),
      );
    },
    loadForSending: (ids) => loadLettersForSending(road, ids),
    startAttempts: (attempts) => insertStartedAttempts(road, attempts),
    async finishAttempt(attemptId, result) {
      await road.run(finishAttemptSql(attemptId, result));
    },
    markSent,
    async recordSent(record) {
      await road.run(finishAttemptSql(record.attemptId, sentAttempt(record.sent)));
      return markSent(record.id, record.workerId, record.sent);
    },
    recordSentGroup: direct && ((group) => writeGroup(direct, group)),
  };
}

/** Attempt rows per INSERT: six values each, well under any database's parameter limit. */
const ATTEMPT_SLICE = 100;

/** The columns a claim returns, read by claimedFromRows. */
const CLAIMED_COLUMNS = ["id", "letterId", "channel", "attempts", "runAt", "leaseExpiresAt"] as const;

/**
 * The letters' claim: due deliveries, of campaigns not paused, within the offices' rates where a
 * rate is set; its time kept in claimedAt, which the rate counts.
 */
function claimDeliveriesSql(
  dialect: ClaimDialect,
  { workerId, limit, leaseMs, now = new Date(), officeRatePerMinute }: ClaimOptions,
): Prisma.Sql {
  const candidates = officeRatePerMinute
    ? rateLimitedDeliveries(dialect, { limit, now, officeRatePerMinute })
    : dueCandidates(dialect, { from: "Delivery", limit, now, eligible: notPaused });
  return dialect.claim({
    table: "Delivery",
    candidates,
    now,
    workerId,
    leaseExpiresAt: new Date(now.getTime() + leaseMs),
    alsoSet: Prisma.sql`, "claimedAt" = ${now}`,
    returning: CLAIMED_COLUMNS,
  });
}

type ClaimedRow = {
  id: string;
  letterId: string;
  channel: string;
  attempts: number | bigint;
  runAt: Date | string;
  leaseExpiresAt: Date | string;
};

/** A claim's rows (as either road returns them), oldest first. */
function claimedFromRows(rows: ClaimedRow[]): ClaimedDelivery[] {
  return rows
    .map((r) => ({
      id: r.id,
      letterId: r.letterId,
      channel: r.channel,
      attempts: Number(r.attempts),
      runAt: dbDate(r.runAt),
      leaseExpiresAt: dbDate(r.leaseExpiresAt),
    }))
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id.localeCompare(b.id));
}

/** "Sent", with the condition every settle has: only while the lease is still this worker's. */
function markSentSql(id: string, workerId: string, sent: SentLetter): Prisma.Sql {
  return Prisma.sql`
    UPDATE "Delivery"
       SET "status" = 'sent', "messageId" = ${sent.messageId}, "sentTo" = ${sent.recipient},
           "sentAt" = ${sent.at ?? new Date()}, "lastError" = NULL,
           "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${new Date()}
     WHERE "id" = ${id} AND "leaseOwner" = ${workerId} AND "status" = 'sending'`;
}

function sentAttempt(sent: SentLetter): AttemptResult {
  return { outcome: "sent", response: sent.response, messageId: sent.messageId, recipient: sent.recipient };
}

function finishAttemptSql(attemptId: string, result: AttemptResult): Prisma.Sql {
  const recipient = result.recipient !== undefined ? Prisma.sql`, "recipient" = ${result.recipient}` : Prisma.empty;
  return Prisma.sql`
    UPDATE "DeliveryAttempt"
       SET "outcome" = ${result.outcome}, "response" = ${result.response ?? null},
           "messageId" = ${result.messageId ?? null}, "finishedAt" = ${result.finishedAt ?? new Date()}${recipient}
     WHERE "id" = ${attemptId}`;
}

/** Opens the attempt rows of a batch, a statement a slice; answers their ids by delivery. */
async function insertStartedAttempts(
  road: SqlRoad,
  attempts: ReadonlyArray<{ deliveryId: string; number: number; worker: string; startedAt?: Date }>,
): Promise<Map<string, string>> {
  const now = new Date();
  const rows = attempts.map((a) => ({
    id: newId(),
    deliveryId: a.deliveryId,
    number: a.number,
    worker: a.worker,
    startedAt: a.startedAt ?? now,
  }));
  for (let i = 0; i < rows.length; i += ATTEMPT_SLICE) {
    const values = rows
      .slice(i, i + ATTEMPT_SLICE)
      .map((r) => Prisma.sql`(${r.id}, ${r.deliveryId}, ${r.number}, ${r.worker}, ${r.startedAt}, 'started')`);
    await road.run(Prisma.sql`
      INSERT INTO "DeliveryAttempt" ("id", "deliveryId", "number", "worker", "startedAt", "outcome")
      VALUES ${Prisma.join(values)}`);
  }
  return new Map(rows.map((r) => [r.deliveryId, r.id]));
}

/**
 * A group of letters that went out, each as recordSent records one, all or nothing; answers
 * whether each letter's lease was still its worker's. SQLite: each letter's two writes in one
 * transaction (one writer at a time anyway).
 */
async function recordSentGroupSqlite(direct: DirectSql, group: SentRecord[]): Promise<boolean[]> {
  const changed = await direct.writeEach(
    group.flatMap((r) => [finishAttemptSql(r.attemptId, sentAttempt(r.sent)), markSentSql(r.id, r.workerId, r.sent)]),
  );
  // Each letter's second write is its "sent"; the count is whether the lease was still its worker's.
  return group.map((_, i) => changed[2 * i + 1] === 1);
}

/**
 * PostgreSQL: the group's "sent" in one UPDATE of the deliveries (and its attempts' outcomes in one
 * more, as a data-modifying CTE): one round trip. Not one UPDATE per letter in one statement: the
 * counters' statement-level triggers (see the README's "Workers do not deadlock each other") lock
 * a statement's counter rows sorted by key, and one UPDATE per letter would lock the offices' rows
 * in the group's order, which two workers could hold in opposite orders.
 */
async function recordSentGroupPostgres(direct: DirectSql, group: SentRecord[]): Promise<boolean[]> {
  const now = new Date();
  const rows = group.map(
    (r) => Prisma.sql`(${r.attemptId}, ${r.id}, ${r.workerId}, ${r.sent.messageId}, ${r.sent.response},
                       ${r.sent.recipient}, ${r.sent.at ?? now}::timestamp(3))`,
  );
  const sent = await direct.all<{ id: string }>(Prisma.sql`
    WITH v ("attemptId", "id", "workerId", "messageId", "response", "recipient", "sentAt") AS (
           VALUES ${Prisma.join(rows)}),
         attempts AS (
           UPDATE "DeliveryAttempt" a
              SET "outcome" = 'sent', "response" = v."response", "messageId" = v."messageId",
                  "recipient" = v."recipient", "finishedAt" = ${now}
             FROM v
            WHERE a."id" = v."attemptId")
    UPDATE "Delivery" d
       SET "status" = 'sent', "messageId" = v."messageId", "sentTo" = v."recipient", "sentAt" = v."sentAt",
           "lastError" = NULL, "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${now}
      FROM v
     WHERE d."id" = v."id" AND d."leaseOwner" = v."workerId" AND d."status" = 'sending'
    RETURNING d."id"`);
  const kept = new Set(sent.map((r) => r.id));
  return group.map((r) => kept.has(r.id));
}

/** A row of the batch's join, as either road returns it. */
type SendingRow = {
  id: string;
  attempts: number | bigint;
  lastError: string | null;
  channel: string;
  route: string | null;
  letterId: string;
  subject: string;
  bodyText: string;
  bodyHtml: string;
  letterCreatedAt: Date | string;
  officeId: string;
  officeKey: string;
  chamber: string;
  title: string;
  fullName: string;
  officeState: string | null;
  officeDistrict: number | bigint | null;
  senateClass: number | bigint | null;
  postalAddress: string | null;
  officeEmail: string | null;
  active: boolean | number;
  prefix: string | null;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  street: string;
  city: string;
  state: string;
  zip: string;
  message: string | null;
  status: string;
  moderation: string;
  erasedAt: Date | string | null;
  campaignId: string;
  slug: string;
  mode: string;
  testInbox: string | null;
  cwcCampaignId: string | null;
  cwcTopics: string;
  cwcBills: string;
  channelsOff: string;
};

/**
 * The letter, supporter, campaign and office of each delivery of a batch, in one plain join
 * (through Prisma's nested select, mapping the rows cost more than the query). A delivery whose
 * letter was deleted since the claim is missing from the map.
 */
async function loadLettersForSending(road: SqlRoad, ids: readonly string[]): Promise<Map<string, LetterForDelivery>> {
  if (ids.length === 0) return new Map();
  const rows = await road.all<SendingRow>(Prisma.sql`
    SELECT d."id", d."attempts", d."lastError", d."channel", d."route",
           l."id" AS "letterId", l."subject", l."bodyText", l."bodyHtml", l."createdAt" AS "letterCreatedAt",
           o."id" AS "officeId", o."key" AS "officeKey", o."chamber", o."title", o."fullName",
           o."state" AS "officeState", o."district" AS "officeDistrict", o."senateClass", o."postalAddress",
           o."email" AS "officeEmail", o."active",
           s."prefix", s."firstName", s."lastName", s."email", s."phone", s."street", s."city", s."state", s."zip",
           s."message", s."status", s."moderation", s."erasedAt",
           c."id" AS "campaignId", c."slug", c."mode", c."testInbox", c."cwcCampaignId", c."cwcTopics", c."cwcBills",
           c."channelsOff"
      FROM "Delivery" d
      JOIN "Letter" l ON l."id" = d."letterId"
      JOIN "Office" o ON o."id" = l."officeId"
      JOIN "Signature" s ON s."id" = l."signatureId"
      JOIN "Campaign" c ON c."id" = s."campaignId"
     WHERE d."id" IN (${Prisma.join([...ids])})`);
  return new Map(rows.map((r) => [r.id, letterFromRow(r)]));
}

/** An integer column as either driver returns it (SQLite may give a bigint), or null. */
const dbInt = (value: number | bigint | null): number | null => (value === null ? null : Number(value));

function letterFromRow(r: SendingRow): LetterForDelivery {
  return {
    deliveryId: r.id,
    attempts: Number(r.attempts),
    lastError: r.lastError,
    channel: r.channel,
    route: r.route,
    letter: {
      id: r.letterId,
      subject: r.subject,
      bodyText: r.bodyText,
      bodyHtml: r.bodyHtml,
      createdAt: dbDate(r.letterCreatedAt),
    },
    supporter: {
      prefix: r.prefix,
      firstName: r.firstName,
      lastName: r.lastName,
      email: r.email,
      phone: r.phone,
      street: r.street,
      city: r.city,
      state: r.state,
      zip: r.zip,
      message: r.message,
      confirmed: r.status === "confirmed",
      moderation: r.moderation,
      erased: dbDate(r.erasedAt) !== null,
    },
    campaign: {
      id: r.campaignId,
      slug: r.slug,
      mode: r.mode,
      testInbox: r.testInbox,
      cwcCampaignId: r.cwcCampaignId,
      cwcTopics: parseCwcTopics(r.cwcTopics),
      cwcBills: parseCwcBills(r.cwcBills),
      channelsOff: parseChannelsOff(r.channelsOff),
    },
    office: {
      id: r.officeId,
      key: r.officeKey,
      chamber: r.chamber,
      title: r.title,
      fullName: r.fullName,
      state: r.officeState,
      district: dbInt(r.officeDistrict),
      senateClass: dbInt(r.senateClass),
      postalAddress: r.postalAddress,
      email: r.officeEmail,
      active: dbBool(r.active),
    },
  };
}
