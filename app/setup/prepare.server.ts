// Everything a fresh install needs before it serves a page: the database created and
// migrated, the bundled offices loaded, the memo's campaign seeded. Idempotent, so every
// start may run it (workers and commands only migrate: see ~/db/migrate/open-db.server).
import { seedMemoCampaign } from "~/campaigns/campaigns.server";
import { type Db } from "~/db/client.server";
import { ensureMigrated } from "~/db/migrate/migrate.server";
import { ensureFirstOrganizer } from "~/organizers/organizers.server";
import { ensureTargetsLoaded } from "~/targets/import.server";

export async function prepareDatabase(
  db: Db,
  config: { DATABASE_URL: string; ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string; TEST_INBOX?: string },
  log: (m: string) => void = console.log,
) {
  const databaseUrl = config.DATABASE_URL;
  await ensureMigrated(db, databaseUrl);
  const loaded = await ensureTargetsLoaded(db);
  if (loaded) log(`Loaded the bundled offices and ZIP codes: ${JSON.stringify(loaded)}`);
  const campaign = await seedMemoCampaign(db, {
    testInbox: config.TEST_INBOX ?? config.ADMIN_EMAIL,
    explicit: config.TEST_INBOX !== undefined,
  });
  log(
    `Campaign live at /c/${campaign.slug} (${campaign.mode} mode` +
      (campaign.mode === "test" ? `: letters go to ${campaign.testInbox ?? "nobody, they are held"})` : ")"),
  );
  const admin = await ensureFirstOrganizer(db, config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  if (admin) log(`Organizer account: ${admin.email} (sign in at /admin)`);
  else if ((await db.organizer.count()) === 0) {
    log("No organizer account yet: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first one.");
  }
}
