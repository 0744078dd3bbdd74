-- The queues' claims walk their indexes instead of sorting: (status, runAt) gains the id the claims
-- order ties by (a backlog queued at one moment sorted every tie at each claim), and each office's
-- due letters get an index of their own for the claim under a per-office rate limit.
-- DropIndex
DROP INDEX "Delivery_status_runAt_idx";

-- DropIndex
DROP INDEX "SupporterEmail_status_runAt_idx";

-- CreateIndex
CREATE INDEX "Delivery_status_runAt_id_idx" ON "Delivery"("status", "runAt", "id");

-- CreateIndex
CREATE INDEX "Delivery_officeId_status_runAt_id_idx" ON "Delivery"("officeId", "status", "runAt", "id");

-- CreateIndex
CREATE INDEX "SupporterEmail_status_runAt_id_idx" ON "SupporterEmail"("status", "runAt", "id");
