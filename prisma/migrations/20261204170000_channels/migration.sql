-- What the delivery channels (House and Senate CWC, print-and-mail) need from the database: the
-- senator's class (the Senate's office codes end with it), the supporter's prefix and phone, the
-- campaign's CWC settings and the channels it turned off, the service's reference, Lob's expected
-- date and the routing reason of each delivery, the CWC services' office lists shared by every
-- worker, and the log of sends the Senate's 5-a-second limit counts.
--
-- Written by `prisma migrate diff`, except for "Campaign": the diff rebuilt that table to add its
-- NOT NULL columns, but the counter triggers on "Signature" and "Delivery" (workspace migration)
-- write to "Campaign", and SQLite's ALTER TABLE ADD COLUMN takes a NOT NULL column with a constant
-- default as it is, so the table keeps its triggers' references and its rows in place.

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN "cwcCampaignId" TEXT;
ALTER TABLE "Campaign" ADD COLUMN "cwcTopics" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Campaign" ADD COLUMN "cwcBills" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Campaign" ADD COLUMN "channelsOff" TEXT NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "Office" ADD COLUMN "senateClass" INTEGER;

-- AlterTable
ALTER TABLE "Signature" ADD COLUMN "phone" TEXT;
ALTER TABLE "Signature" ADD COLUMN "prefix" TEXT;

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "expectedAt" DATETIME;
ALTER TABLE "Delivery" ADD COLUMN "reference" TEXT;
ALTER TABLE "Delivery" ADD COLUMN "route" TEXT;

-- CreateTable
CREATE TABLE "ChannelOfficeList" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "codes" TEXT NOT NULL,
    "fetchedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChannelSend" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "sentAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ChannelSend_channel_sentAt_idx" ON "ChannelSend"("channel", "sentAt");

-- The memo's seeded campaign writes on defence and foreign policy: its CWC topics (the seed gives
-- a new install the same, app/campaigns/campaigns.server.ts MEMO_CWC_TOPICS).
UPDATE "Campaign" SET "cwcTopics" = '["Armed Forces and National Security","International Affairs"]'
 WHERE "slug" = 'ban-landmines-and-cluster-munitions' AND "cwcTopics" = '[]';
