-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "claimedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Delivery_officeId_claimedAt_idx" ON "Delivery"("officeId", "claimedAt");

