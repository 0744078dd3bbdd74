-- CreateTable
CREATE TABLE "SupporterEmail" (
    "id" TEXT NOT NULL,
    "signatureId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "token" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SupporterEmail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SupporterEmail_status_runAt_idx" ON "SupporterEmail"("status", "runAt");

-- CreateIndex
CREATE INDEX "SupporterEmail_signatureId_idx" ON "SupporterEmail"("signatureId");

-- AddForeignKey
ALTER TABLE "SupporterEmail" ADD CONSTRAINT "SupporterEmail_signatureId_fkey" FOREIGN KEY ("signatureId") REFERENCES "Signature"("id") ON DELETE CASCADE ON UPDATE CASCADE;

