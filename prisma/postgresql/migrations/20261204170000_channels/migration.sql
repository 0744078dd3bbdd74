-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "channelsOff" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "cwcBills" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "cwcCampaignId" TEXT,
ADD COLUMN     "cwcTopics" TEXT NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "Office" ADD COLUMN     "senateClass" INTEGER;

-- AlterTable
ALTER TABLE "Signature" ADD COLUMN     "phone" TEXT,
ADD COLUMN     "prefix" TEXT;

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "expectedAt" TIMESTAMP(3),
ADD COLUMN     "reference" TEXT,
ADD COLUMN     "route" TEXT;

-- CreateTable
CREATE TABLE "ChannelOfficeList" (
    "name" TEXT NOT NULL,
    "codes" TEXT NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelOfficeList_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "ChannelSend" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelSend_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChannelSend_channel_sentAt_idx" ON "ChannelSend"("channel", "sentAt");


-- The memo's seeded campaign writes on defence and foreign policy: its CWC topics (the seed gives
-- a new install the same, app/campaigns/campaigns.server.ts MEMO_CWC_TOPICS).
UPDATE "Campaign" SET "cwcTopics" = '["Armed Forces and National Security","International Affairs"]'
 WHERE "slug" = 'ban-landmines-and-cluster-munitions' AND "cwcTopics" = '[]';
