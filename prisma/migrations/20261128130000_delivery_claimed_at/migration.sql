-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "claimedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Delivery_officeId_claimedAt_idx" ON "Delivery"("officeId", "claimedAt");

