-- Written by hand: the counter triggers of 20261128100000_workspace, rewritten so that concurrent
-- transactions take the counter rows' locks in one order and never deadlock. The counts they keep
-- are the same (app/setup/pg-schema.test.ts compares them with the SQLite triggers).
--
-- Why: row by row, a worker's claim (twenty letters, queued -> sending) moved the counters of each
-- office in the order its rows happened to be updated, while another worker's outcome (sending ->
-- queued after a 451) locked the same two counter rows the other way round. PostgreSQL then aborts
-- one of them ("deadlock detected"), and an outcome lost after its letter went out becomes a repeat.

-- Deliveries: one statement-level trigger per event, over the statement's transition tables. The
-- changes of the whole statement are summed per counter and applied in one INSERT ... ON CONFLICT
-- sorted by key, so every transaction locks counter rows in the same order. (PostgreSQL allows
-- transition tables only on triggers of one event and without a column list.)
DROP TRIGGER "Delivery_counts_insert_delete" ON "Delivery";
DROP TRIGGER "Delivery_counts_update" ON "Delivery";
DROP FUNCTION "Delivery_counts"();

CREATE FUNCTION "Delivery_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "CampaignOfficeDelivery" ("campaignId", "officeId", "status", "count")
      SELECT "campaignId", "officeId", "status", COUNT(*) FROM delivery_new
       WHERE "campaignId" IS NOT NULL AND "officeId" IS NOT NULL
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT ("campaignId", "officeId", "status")
      DO UPDATE SET "count" = "CampaignOfficeDelivery"."count" + excluded."count";
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "CampaignOfficeDelivery" ("campaignId", "officeId", "status", "count")
      SELECT "campaignId", "officeId", "status", -COUNT(*) FROM delivery_old
       WHERE "campaignId" IS NOT NULL AND "officeId" IS NOT NULL
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT ("campaignId", "officeId", "status")
      DO UPDATE SET "count" = "CampaignOfficeDelivery"."count" + excluded."count";
  ELSE
    -- Only a change of status moves a letter between counters; as before, the old status is
    -- counted down only when the row still names its campaign and office.
    INSERT INTO "CampaignOfficeDelivery" ("campaignId", "officeId", "status", "count")
      SELECT c, o, s, SUM(d) FROM (
        SELECT n."campaignId" AS c, n."officeId" AS o, n."status" AS s, 1 AS d
          FROM delivery_old p JOIN delivery_new n ON n."id" = p."id"
         WHERE p."status" <> n."status" AND n."campaignId" IS NOT NULL AND n."officeId" IS NOT NULL
        UNION ALL
        SELECT p."campaignId", p."officeId", p."status", -1
          FROM delivery_old p JOIN delivery_new n ON n."id" = p."id"
         WHERE p."status" <> n."status" AND n."campaignId" IS NOT NULL AND n."officeId" IS NOT NULL
           AND p."campaignId" IS NOT NULL AND p."officeId" IS NOT NULL
      ) moves
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT ("campaignId", "officeId", "status")
      DO UPDATE SET "count" = "CampaignOfficeDelivery"."count" + excluded."count";
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Delivery_counts_insert" AFTER INSERT ON "Delivery"
  REFERENCING NEW TABLE AS delivery_new FOR EACH STATEMENT EXECUTE FUNCTION "Delivery_counts"();
CREATE TRIGGER "Delivery_counts_update" AFTER UPDATE ON "Delivery"
  REFERENCING OLD TABLE AS delivery_old NEW TABLE AS delivery_new FOR EACH STATEMENT EXECUTE FUNCTION "Delivery_counts"();
CREATE TRIGGER "Delivery_counts_delete" AFTER DELETE ON "Delivery"
  REFERENCING OLD TABLE AS delivery_old FOR EACH STATEMENT EXECUTE FUNCTION "Delivery_counts"();

-- Signatures: still row by row (a signature changes alone), but every branch now takes its locks
-- in one order: the campaign row, then the day rows (earlier day first), then the area row. Before,
-- a signing (its day, then its campaign) could deadlock with a confirmation (campaign, then day).
CREATE OR REPLACE FUNCTION "Signature_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_counts boolean := TG_OP <> 'INSERT' AND OLD."status" = 'confirmed' AND OLD."moderation" <> 'rejected';
  new_counts boolean := TG_OP <> 'DELETE' AND NEW."status" = 'confirmed' AND NEW."moderation" <> 'rejected';
  row_now "Signature"%ROWTYPE;
  pending_delta integer := 0;
  confirmed_delta integer := 0;
BEGIN
  IF TG_OP = 'DELETE' THEN row_now := OLD; ELSE row_now := NEW; END IF;

  IF TG_OP = 'INSERT' THEN
    pending_delta := CASE WHEN NEW."status" = 'pending' THEN 1 ELSE 0 END;
  ELSIF TG_OP = 'DELETE' THEN
    pending_delta := CASE WHEN OLD."status" = 'pending' THEN -1 ELSE 0 END;
  ELSIF (OLD."status" = 'pending') <> (NEW."status" = 'pending') THEN
    pending_delta := CASE WHEN NEW."status" = 'pending' THEN 1 ELSE -1 END;
  END IF;
  -- Starts counting: inserted confirmed, confirmed, or no longer rejected. Stops counting:
  -- rejected in moderation, or deleted while counted.
  IF new_counts AND NOT old_counts THEN
    confirmed_delta := 1;
  ELSIF old_counts AND NOT new_counts THEN
    confirmed_delta := -1;
  END IF;

  IF pending_delta <> 0 OR confirmed_delta <> 0 THEN
    UPDATE "Campaign" SET "pendingCount" = "pendingCount" + pending_delta,
                          "confirmedCount" = "confirmedCount" + confirmed_delta
     WHERE "id" = row_now."campaignId";
  END IF;

  -- Signed on its creation day; confirmed on its confirmation day (a counted signature's, from
  -- the row as it is now when it starts counting, as it was when it stops).
  INSERT INTO "CampaignDay" ("campaignId", "day", "signed", "confirmed")
    SELECT row_now."campaignId", day, SUM(signed), SUM(confirmed) FROM (
      SELECT to_char(row_now."createdAt", 'YYYY-MM-DD') AS day,
             CASE TG_OP WHEN 'INSERT' THEN 1 WHEN 'DELETE' THEN -1 ELSE 0 END AS signed, 0 AS confirmed
       WHERE TG_OP <> 'UPDATE'
      UNION ALL
      SELECT to_char(COALESCE(NEW."confirmedAt", NEW."createdAt"), 'YYYY-MM-DD'), 0, 1 WHERE confirmed_delta = 1
      UNION ALL
      SELECT to_char(COALESCE(OLD."confirmedAt", OLD."createdAt"), 'YYYY-MM-DD'), 0, -1 WHERE confirmed_delta = -1
    ) changes
    GROUP BY day ORDER BY day
    ON CONFLICT ("campaignId", "day") DO UPDATE SET
      "signed" = "CampaignDay"."signed" + excluded."signed",
      "confirmed" = "CampaignDay"."confirmed" + excluded."confirmed";

  IF confirmed_delta = 1 THEN
    INSERT INTO "CampaignArea" ("campaignId", "state", "district", "confirmed")
      VALUES (NEW."campaignId", NEW."state", COALESCE(NEW."district", -1), 1)
      ON CONFLICT ("campaignId", "state", "district") DO UPDATE SET "confirmed" = "CampaignArea"."confirmed" + 1;
  ELSIF confirmed_delta = -1 THEN
    UPDATE "CampaignArea" SET "confirmed" = "confirmed" - 1
     WHERE "campaignId" = OLD."campaignId" AND "state" = OLD."state" AND "district" = COALESCE(OLD."district", -1);
  END IF;
  RETURN NULL;
END;
$$;
