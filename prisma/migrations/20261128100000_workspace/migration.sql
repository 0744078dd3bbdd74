-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "campaignId" TEXT;
ALTER TABLE "Delivery" ADD COLUMN "officeId" TEXT;

-- CreateTable
CREATE TABLE "CampaignOffice" (
    "campaignId" TEXT NOT NULL,
    "officeId" TEXT NOT NULL,

    PRIMARY KEY ("campaignId", "officeId"),
    CONSTRAINT "CampaignOffice_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CampaignOffice_officeId_fkey" FOREIGN KEY ("officeId") REFERENCES "Office" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CampaignDay" (
    "campaignId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "signed" INTEGER NOT NULL DEFAULT 0,
    "confirmed" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("campaignId", "day"),
    CONSTRAINT "CampaignDay_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CampaignArea" (
    "campaignId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "district" INTEGER NOT NULL,
    "confirmed" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("campaignId", "state", "district"),
    CONSTRAINT "CampaignArea_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CampaignOfficeDelivery" (
    "campaignId" TEXT NOT NULL,
    "officeId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("campaignId", "officeId", "status"),
    CONSTRAINT "CampaignOfficeDelivery_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CampaignOfficeDelivery_officeId_fkey" FOREIGN KEY ("officeId") REFERENCES "Office" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrganizerInvite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "invitedById" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OrganizerInvite_invitedById_fkey" FOREIGN KEY ("invitedById") REFERENCES "Organizer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizerId" TEXT,
    "actorEmail" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "rows" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ErasureRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "RateLimiterFlexible" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL,
    "expire" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "goal" INTEGER NOT NULL DEFAULT 1000,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "mode" TEXT NOT NULL DEFAULT 'test',
    "testInbox" TEXT,
    "targetsWhiteHouse" BOOLEAN NOT NULL DEFAULT true,
    "targetsSenators" BOOLEAN NOT NULL DEFAULT true,
    "targetsRepresentative" BOOLEAN NOT NULL DEFAULT true,
    "confirmedCount" INTEGER NOT NULL DEFAULT 0,
    "pendingCount" INTEGER NOT NULL DEFAULT 0,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "startsAt" DATETIME,
    "endsAt" DATETIME,
    "content" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Campaign" ("body", "confirmedCount", "createdAt", "goal", "id", "mode", "slug", "status", "summary", "targetsRepresentative", "targetsSenators", "targetsWhiteHouse", "template", "testInbox", "title", "updatedAt") SELECT "body", "confirmedCount", "createdAt", "goal", "id", "mode", "slug", "status", "summary", "targetsRepresentative", "targetsSenators", "targetsWhiteHouse", "template", "testInbox", "title", "updatedAt" FROM "Campaign";
DROP TABLE "Campaign";
ALTER TABLE "new_Campaign" RENAME TO "Campaign";
CREATE UNIQUE INDEX "Campaign_slug_key" ON "Campaign"("slug");
CREATE TABLE "new_Signature" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "campaignId" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "street" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "zip" TEXT NOT NULL,
    "district" INTEGER,
    "points" TEXT NOT NULL,
    "message" TEXT,
    "consentToContact" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" DATETIME,
    "lastEmailedAt" DATETIME,
    "emailsSent" INTEGER NOT NULL DEFAULT 0,
    "moderation" TEXT NOT NULL DEFAULT 'none',
    "moderationReason" TEXT,
    "moderatedAt" DATETIME,
    "moderatedBy" TEXT,
    "ipHash" TEXT,
    "unsubscribedAt" DATETIME,
    "erasedAt" DATETIME,
    CONSTRAINT "Signature_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Signature" ("campaignId", "city", "confirmedAt", "consentToContact", "createdAt", "district", "email", "emailsSent", "firstName", "id", "lastEmailedAt", "lastName", "message", "points", "state", "status", "street", "zip") SELECT "campaignId", "city", "confirmedAt", "consentToContact", "createdAt", "district", "email", "emailsSent", "firstName", "id", "lastEmailedAt", "lastName", "message", "points", "state", "status", "street", "zip" FROM "Signature";
DROP TABLE "Signature";
ALTER TABLE "new_Signature" RENAME TO "Signature";
CREATE INDEX "Signature_campaignId_status_idx" ON "Signature"("campaignId", "status");
CREATE INDEX "Signature_campaignId_moderation_idx" ON "Signature"("campaignId", "moderation");
CREATE INDEX "Signature_campaignId_createdAt_idx" ON "Signature"("campaignId", "createdAt");
CREATE UNIQUE INDEX "Signature_campaignId_email_key" ON "Signature"("campaignId", "email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "CampaignOfficeDelivery_officeId_idx" ON "CampaignOfficeDelivery"("officeId");

-- CreateIndex
CREATE UNIQUE INDEX "OrganizerInvite_tokenHash_key" ON "OrganizerInvite"("tokenHash");

-- CreateIndex
CREATE INDEX "OrganizerInvite_email_idx" ON "OrganizerInvite"("email");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_action_createdAt_idx" ON "AuditEvent"("action", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ErasureRequest_tokenHash_key" ON "ErasureRequest"("tokenHash");

-- CreateIndex
CREATE INDEX "ErasureRequest_email_idx" ON "ErasureRequest"("email");

-- CreateIndex
CREATE INDEX "Delivery_campaignId_status_idx" ON "Delivery"("campaignId", "status");


-- Backfill the copies of campaign and office on deliveries queued before this migration.
UPDATE "Delivery" SET
  "officeId" = (SELECT "officeId" FROM "Letter" WHERE "Letter"."id" = "Delivery"."letterId"),
  "campaignId" = (SELECT "Signature"."campaignId" FROM "Letter" JOIN "Signature" ON "Signature"."id" = "Letter"."signatureId"
                   WHERE "Letter"."id" = "Delivery"."letterId");

-- Counters for the organizers' dashboard, kept by triggers so that every way a row changes
-- (the app, the worker, a command, a hand-written UPDATE) keeps them right, and no page load
-- counts rows. A signature "counts" when it is confirmed and not rejected in moderation.
-- Dates are ISO-8601 text here ("2026-11-28T05:00:00.000+00:00"); the first ten characters are the
-- UTC day.

-- Backfill from what exists.
UPDATE "Campaign" SET
  "confirmedCount" = (SELECT COUNT(*) FROM "Signature" s WHERE s."campaignId" = "Campaign"."id"
                        AND s."status" = 'confirmed' AND s."moderation" <> 'rejected'),
  "pendingCount" = (SELECT COUNT(*) FROM "Signature" s WHERE s."campaignId" = "Campaign"."id" AND s."status" = 'pending');
INSERT INTO "CampaignDay" ("campaignId", "day", "signed", "confirmed")
  SELECT "campaignId", substr("createdAt", 1, 10), COUNT(*), 0 FROM "Signature" GROUP BY 1, 2;
INSERT INTO "CampaignDay" ("campaignId", "day", "signed", "confirmed")
  SELECT "campaignId", substr(COALESCE("confirmedAt", "createdAt"), 1, 10), 0, COUNT(*) FROM "Signature"
   WHERE "status" = 'confirmed' AND "moderation" <> 'rejected' GROUP BY 1, 2
  ON CONFLICT ("campaignId", "day") DO UPDATE SET "confirmed" = excluded."confirmed";
INSERT INTO "CampaignArea" ("campaignId", "state", "district", "confirmed")
  SELECT "campaignId", "state", COALESCE("district", -1), COUNT(*) FROM "Signature"
   WHERE "status" = 'confirmed' AND "moderation" <> 'rejected' GROUP BY 1, 2, 3;
INSERT INTO "CampaignOfficeDelivery" ("campaignId", "officeId", "status", "count")
  SELECT "campaignId", "officeId", "status", COUNT(*) FROM "Delivery"
   WHERE "campaignId" IS NOT NULL AND "officeId" IS NOT NULL GROUP BY 1, 2, 3;

CREATE TRIGGER "Signature_counts_insert" AFTER INSERT ON "Signature"
BEGIN
  INSERT INTO "CampaignDay" ("campaignId", "day", "signed", "confirmed")
    VALUES (NEW."campaignId", substr(NEW."createdAt", 1, 10), 1, 0)
    ON CONFLICT ("campaignId", "day") DO UPDATE SET "signed" = "signed" + 1;
  UPDATE "Campaign" SET "pendingCount" = "pendingCount" + 1
   WHERE "id" = NEW."campaignId" AND NEW."status" = 'pending';
END;

CREATE TRIGGER "Signature_counts_delete" AFTER DELETE ON "Signature"
BEGIN
  UPDATE "CampaignDay" SET "signed" = "signed" - 1
   WHERE "campaignId" = OLD."campaignId" AND "day" = substr(OLD."createdAt", 1, 10);
  UPDATE "Campaign" SET "pendingCount" = "pendingCount" - 1
   WHERE "id" = OLD."campaignId" AND OLD."status" = 'pending';
END;

CREATE TRIGGER "Signature_counts_pending" AFTER UPDATE OF "status" ON "Signature"
  WHEN (OLD."status" = 'pending') <> (NEW."status" = 'pending')
BEGIN
  UPDATE "Campaign" SET "pendingCount" = "pendingCount" + (CASE WHEN NEW."status" = 'pending' THEN 1 ELSE -1 END)
   WHERE "id" = NEW."campaignId";
END;

-- Starts counting: inserted confirmed, confirmed, or no longer rejected.
CREATE TRIGGER "Signature_counts_gain_insert" AFTER INSERT ON "Signature"
  WHEN NEW."status" = 'confirmed' AND NEW."moderation" <> 'rejected'
BEGIN
  UPDATE "Campaign" SET "confirmedCount" = "confirmedCount" + 1 WHERE "id" = NEW."campaignId";
  INSERT INTO "CampaignDay" ("campaignId", "day", "signed", "confirmed")
    VALUES (NEW."campaignId", substr(COALESCE(NEW."confirmedAt", NEW."createdAt"), 1, 10), 0, 1)
    ON CONFLICT ("campaignId", "day") DO UPDATE SET "confirmed" = "confirmed" + 1;
  INSERT INTO "CampaignArea" ("campaignId", "state", "district", "confirmed")
    VALUES (NEW."campaignId", NEW."state", COALESCE(NEW."district", -1), 1)
    ON CONFLICT ("campaignId", "state", "district") DO UPDATE SET "confirmed" = "confirmed" + 1;
END;

CREATE TRIGGER "Signature_counts_gain" AFTER UPDATE OF "status", "moderation" ON "Signature"
  WHEN NOT (OLD."status" = 'confirmed' AND OLD."moderation" <> 'rejected')
   AND (NEW."status" = 'confirmed' AND NEW."moderation" <> 'rejected')
BEGIN
  UPDATE "Campaign" SET "confirmedCount" = "confirmedCount" + 1 WHERE "id" = NEW."campaignId";
  INSERT INTO "CampaignDay" ("campaignId", "day", "signed", "confirmed")
    VALUES (NEW."campaignId", substr(COALESCE(NEW."confirmedAt", NEW."createdAt"), 1, 10), 0, 1)
    ON CONFLICT ("campaignId", "day") DO UPDATE SET "confirmed" = "confirmed" + 1;
  INSERT INTO "CampaignArea" ("campaignId", "state", "district", "confirmed")
    VALUES (NEW."campaignId", NEW."state", COALESCE(NEW."district", -1), 1)
    ON CONFLICT ("campaignId", "state", "district") DO UPDATE SET "confirmed" = "confirmed" + 1;
END;

-- Stops counting: rejected in moderation, or deleted while counted.
CREATE TRIGGER "Signature_counts_loss" AFTER UPDATE OF "status", "moderation" ON "Signature"
  WHEN (OLD."status" = 'confirmed' AND OLD."moderation" <> 'rejected')
   AND NOT (NEW."status" = 'confirmed' AND NEW."moderation" <> 'rejected')
BEGIN
  UPDATE "Campaign" SET "confirmedCount" = "confirmedCount" - 1 WHERE "id" = OLD."campaignId";
  UPDATE "CampaignDay" SET "confirmed" = "confirmed" - 1
   WHERE "campaignId" = OLD."campaignId" AND "day" = substr(COALESCE(OLD."confirmedAt", OLD."createdAt"), 1, 10);
  UPDATE "CampaignArea" SET "confirmed" = "confirmed" - 1
   WHERE "campaignId" = OLD."campaignId" AND "state" = OLD."state" AND "district" = COALESCE(OLD."district", -1);
END;

CREATE TRIGGER "Signature_counts_loss_delete" AFTER DELETE ON "Signature"
  WHEN OLD."status" = 'confirmed' AND OLD."moderation" <> 'rejected'
BEGIN
  UPDATE "Campaign" SET "confirmedCount" = "confirmedCount" - 1 WHERE "id" = OLD."campaignId";
  UPDATE "CampaignDay" SET "confirmed" = "confirmed" - 1
   WHERE "campaignId" = OLD."campaignId" AND "day" = substr(COALESCE(OLD."confirmedAt", OLD."createdAt"), 1, 10);
  UPDATE "CampaignArea" SET "confirmed" = "confirmed" - 1
   WHERE "campaignId" = OLD."campaignId" AND "state" = OLD."state" AND "district" = COALESCE(OLD."district", -1);
END;

CREATE TRIGGER "Delivery_counts_insert" AFTER INSERT ON "Delivery"
  WHEN NEW."campaignId" IS NOT NULL AND NEW."officeId" IS NOT NULL
BEGIN
  INSERT INTO "CampaignOfficeDelivery" ("campaignId", "officeId", "status", "count")
    VALUES (NEW."campaignId", NEW."officeId", NEW."status", 1)
    ON CONFLICT ("campaignId", "officeId", "status") DO UPDATE SET "count" = "count" + 1;
END;

CREATE TRIGGER "Delivery_counts_update" AFTER UPDATE OF "status" ON "Delivery"
  WHEN OLD."status" <> NEW."status" AND NEW."campaignId" IS NOT NULL AND NEW."officeId" IS NOT NULL
BEGIN
  UPDATE "CampaignOfficeDelivery" SET "count" = "count" - 1
   WHERE "campaignId" = OLD."campaignId" AND "officeId" = OLD."officeId" AND "status" = OLD."status";
  INSERT INTO "CampaignOfficeDelivery" ("campaignId", "officeId", "status", "count")
    VALUES (NEW."campaignId", NEW."officeId", NEW."status", 1)
    ON CONFLICT ("campaignId", "officeId", "status") DO UPDATE SET "count" = "count" + 1;
END;

CREATE TRIGGER "Delivery_counts_delete" AFTER DELETE ON "Delivery"
  WHEN OLD."campaignId" IS NOT NULL AND OLD."officeId" IS NOT NULL
BEGIN
  UPDATE "CampaignOfficeDelivery" SET "count" = "count" - 1
   WHERE "campaignId" = OLD."campaignId" AND "officeId" = OLD."officeId" AND "status" = OLD."status";
END;
