-- Rate limits move from rate-limiter-flexible's Prisma store (two queries a count, each compiled
-- by Prisma) to its SQLite and PostgreSQL stores (one statement). Counts are short-lived: the old
-- table's rows are not carried over.
-- DropTable
DROP TABLE "RateLimiterFlexible";

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

