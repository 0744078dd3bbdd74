-- Rate limits move from rate-limiter-flexible's Prisma store (two queries a count, each compiled
-- by Prisma) to its SQLite and PostgreSQL stores (one statement). Counts are short-lived: the old
-- table's rows are not carried over.
-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "RateLimiterFlexible";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT
);

