-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "content" TEXT,
ADD COLUMN     "endsAt" TIMESTAMP(3),
ADD COLUMN     "paused" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "pendingCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "startsAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Signature" ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "ipHash" TEXT,
ADD COLUMN     "moderatedAt" TIMESTAMP(3),
ADD COLUMN     "moderatedBy" TEXT,
ADD COLUMN     "moderation" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "moderationReason" TEXT,
ADD COLUMN     "unsubscribedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "campaignId" TEXT,
ADD COLUMN     "officeId" TEXT;

-- CreateTable
CREATE TABLE "CampaignOffice" (
    "campaignId" TEXT NOT NULL,
    "officeId" TEXT NOT NULL,

    CONSTRAINT "CampaignOffice_pkey" PRIMARY KEY ("campaignId","officeId")
);

-- CreateTable
CREATE TABLE "CampaignDay" (
    "campaignId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "signed" INTEGER NOT NULL DEFAULT 0,
    "confirmed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CampaignDay_pkey" PRIMARY KEY ("campaignId","day")
);

-- CreateTable
CREATE TABLE "CampaignArea" (
    "campaignId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "district" INTEGER NOT NULL,
    "confirmed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CampaignArea_pkey" PRIMARY KEY ("campaignId","state","district")
);

-- CreateTable
CREATE TABLE "CampaignOfficeDelivery" (
    "campaignId" TEXT NOT NULL,
    "officeId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CampaignOfficeDelivery_pkey" PRIMARY KEY ("campaignId","officeId","status")
);

-- CreateTable
CREATE TABLE "OrganizerInvite" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "invitedById" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrganizerInvite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "organizerId" TEXT,
    "actorEmail" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "rows" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ErasureRequest" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ErasureRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimiterFlexible" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMP(3),

    CONSTRAINT "RateLimiterFlexible_pkey" PRIMARY KEY ("key")
);

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
CREATE INDEX "Signature_campaignId_moderation_idx" ON "Signature"("campaignId", "moderation");

-- CreateIndex
CREATE INDEX "Signature_campaignId_createdAt_idx" ON "Signature"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "Delivery_campaignId_status_idx" ON "Delivery"("campaignId", "status");

-- AddForeignKey
ALTER TABLE "CampaignOffice" ADD CONSTRAINT "CampaignOffice_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignOffice" ADD CONSTRAINT "CampaignOffice_officeId_fkey" FOREIGN KEY ("officeId") REFERENCES "Office"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignDay" ADD CONSTRAINT "CampaignDay_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignArea" ADD CONSTRAINT "CampaignArea_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignOfficeDelivery" ADD CONSTRAINT "CampaignOfficeDelivery_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignOfficeDelivery" ADD CONSTRAINT "CampaignOfficeDelivery_officeId_fkey" FOREIGN KEY ("officeId") REFERENCES "Office"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrganizerInvite" ADD CONSTRAINT "OrganizerInvite_invitedById_fkey" FOREIGN KEY ("invitedById") REFERENCES "Organizer"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Written by hand, the PostgreSQL twin of the SQLite migration's backfill and triggers (keep the two
-- in step: app/setup/pg-schema.test.ts runs the same changes through both and compares the counters).

-- Backfill the copies of campaign and office on deliveries queued before this migration.
UPDATE "Delivery" SET
  "officeId" = (SELECT "officeId" FROM "Letter" WHERE "Letter"."id" = "Delivery"."letterId"),
  "campaignId" = (SELECT "Signature"."campaignId" FROM "Letter" JOIN "Signature" ON "Signature"."id" = "Letter"."signatureId"
                   WHERE "Letter"."id" = "Delivery"."letterId");

-- Counters for the organizers' dashboard, kept by triggers so that every way a row changes
-- (the app, the worker, a command, a hand-written UPDATE) keeps them right, and no page load
-- counts rows. A signature "counts" when it is confirmed and not rejected in moderation.
-- Timestamps are UTC (Prisma writes them so); the UTC day is to_char(…, 'YYYY-MM-DD').

-- Backfill from what exists.
UPDATE "Campaign" SET
  "confirmedCount" = (SELECT COUNT(*) FROM "Signature" s WHERE s."campaignId" = "Campaign"."id"
                        AND s."status" = 'confirmed' AND s."moderation" <> 'rejected'),
  "pendingCount" = (SELECT COUNT(*) FROM "Signature" s WHERE s."campaignId" = "Campaign"."id" AND s."status" = 'pending');
INSERT INTO "CampaignDay" ("campaignId", "day", "signed", "confirmed")
  SELECT "campaignId", to_char("createdAt", 'YYYY-MM-DD'), COUNT(*), 0 FROM "Signature" GROUP BY 1, 2;
INSERT INTO "CampaignDay" ("campaignId", "day", "signed", "confirmed")
  SELECT "campaignId", to_char(COALESCE("confirmedAt", "createdAt"), 'YYYY-MM-DD'), 0, COUNT(*) FROM "Signature"
   WHERE "status" = 'confirmed' AND "moderation" <> 'rejected' GROUP BY 1, 2
  ON CONFLICT ("campaignId", "day") DO UPDATE SET "confirmed" = excluded."confirmed";
INSERT INTO "CampaignArea" ("campaignId", "state", "district", "confirmed")
  SELECT "campaignId", "state", COALESCE("district", -1), COUNT(*) FROM "Signature"
   WHERE "status" = 'confirmed' AND "moderation" <> 'rejected' GROUP BY 1, 2, 3;
INSERT INTO "CampaignOfficeDelivery" ("campaignId", "officeId", "status", "count")
  SELECT "campaignId", "officeId", "status", COUNT(*) FROM "Delivery"
   WHERE "campaignId" IS NOT NULL AND "officeId" IS NOT NULL GROUP BY 1, 2, 3;

-- One function per table: SQLite's several triggers (each with its WHEN) become branches here.
CREATE FUNCTION "Signature_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_counts boolean := TG_OP <> 'INSERT' AND OLD."status" = 'confirmed' AND OLD."moderation" <> 'rejected';
  new_counts boolean := TG_OP <> 'DELETE' AND NEW."status" = 'confirmed' AND NEW."moderation" <> 'rejected';
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "CampaignDay" ("campaignId", "day", "signed", "confirmed")
      VALUES (NEW."campaignId", to_char(NEW."createdAt", 'YYYY-MM-DD'), 1, 0)
      ON CONFLICT ("campaignId", "day") DO UPDATE SET "signed" = "CampaignDay"."signed" + 1;
    IF NEW."status" = 'pending' THEN
      UPDATE "Campaign" SET "pendingCount" = "pendingCount" + 1 WHERE "id" = NEW."campaignId";
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "CampaignDay" SET "signed" = "signed" - 1
     WHERE "campaignId" = OLD."campaignId" AND "day" = to_char(OLD."createdAt", 'YYYY-MM-DD');
    IF OLD."status" = 'pending' THEN
      UPDATE "Campaign" SET "pendingCount" = "pendingCount" - 1 WHERE "id" = OLD."campaignId";
    END IF;
  ELSIF (OLD."status" = 'pending') <> (NEW."status" = 'pending') THEN
    UPDATE "Campaign" SET "pendingCount" = "pendingCount" + (CASE WHEN NEW."status" = 'pending' THEN 1 ELSE -1 END)
     WHERE "id" = NEW."campaignId";
  END IF;

  -- Starts counting: inserted confirmed, confirmed, or no longer rejected.
  IF new_counts AND NOT old_counts THEN
    UPDATE "Campaign" SET "confirmedCount" = "confirmedCount" + 1 WHERE "id" = NEW."campaignId";
    INSERT INTO "CampaignDay" ("campaignId", "day", "signed", "confirmed")
      VALUES (NEW."campaignId", to_char(COALESCE(NEW."confirmedAt", NEW."createdAt"), 'YYYY-MM-DD'), 0, 1)
      ON CONFLICT ("campaignId", "day") DO UPDATE SET "confirmed" = "CampaignDay"."confirmed" + 1;
    INSERT INTO "CampaignArea" ("campaignId", "state", "district", "confirmed")
      VALUES (NEW."campaignId", NEW."state", COALESCE(NEW."district", -1), 1)
      ON CONFLICT ("campaignId", "state", "district") DO UPDATE SET "confirmed" = "CampaignArea"."confirmed" + 1;
  -- Stops counting: rejected in moderation, or deleted while counted.
  ELSIF old_counts AND NOT new_counts THEN
    UPDATE "Campaign" SET "confirmedCount" = "confirmedCount" - 1 WHERE "id" = OLD."campaignId";
    UPDATE "CampaignDay" SET "confirmed" = "confirmed" - 1
     WHERE "campaignId" = OLD."campaignId" AND "day" = to_char(COALESCE(OLD."confirmedAt", OLD."createdAt"), 'YYYY-MM-DD');
    UPDATE "CampaignArea" SET "confirmed" = "confirmed" - 1
     WHERE "campaignId" = OLD."campaignId" AND "state" = OLD."state" AND "district" = COALESCE(OLD."district", -1);
  END IF;
  RETURN NULL;
END;
$$;

-- SQLite's triggers fire on INSERT, DELETE and UPDATE OF "status", "moderation".
CREATE TRIGGER "Signature_counts_insert_delete" AFTER INSERT OR DELETE ON "Signature"
  FOR EACH ROW EXECUTE FUNCTION "Signature_counts"();
CREATE TRIGGER "Signature_counts_update" AFTER UPDATE OF "status", "moderation" ON "Signature"
  FOR EACH ROW EXECUTE FUNCTION "Signature_counts"();

CREATE FUNCTION "Delivery_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."campaignId" IS NOT NULL AND OLD."officeId" IS NOT NULL
     AND (TG_OP = 'DELETE' OR (OLD."status" <> NEW."status" AND NEW."campaignId" IS NOT NULL AND NEW."officeId" IS NOT NULL)) THEN
    UPDATE "CampaignOfficeDelivery" SET "count" = "count" - 1
     WHERE "campaignId" = OLD."campaignId" AND "officeId" = OLD."officeId" AND "status" = OLD."status";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."campaignId" IS NOT NULL AND NEW."officeId" IS NOT NULL
     AND (TG_OP = 'INSERT' OR OLD."status" <> NEW."status") THEN
    INSERT INTO "CampaignOfficeDelivery" ("campaignId", "officeId", "status", "count")
      VALUES (NEW."campaignId", NEW."officeId", NEW."status", 1)
      ON CONFLICT ("campaignId", "officeId", "status") DO UPDATE SET "count" = "CampaignOfficeDelivery"."count" + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Delivery_counts_insert_delete" AFTER INSERT OR DELETE ON "Delivery"
  FOR EACH ROW EXECUTE FUNCTION "Delivery_counts"();
CREATE TRIGGER "Delivery_counts_update" AFTER UPDATE OF "status" ON "Delivery"
  FOR EACH ROW EXECUTE FUNCTION "Delivery_counts"();
