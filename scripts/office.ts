// Sets an office's e-mail address, or switches it off or on; letters the office was holding
// then go out. Offices are named by their key: a member's bioguide id (C000127) or WH.
//
//   npm run office -- <key> --email staffer@senate.example.gov
//   npm run office -- <key> --no-email | --deactivate | --activate
import { env } from "~/env.server";
import { openMigratedDb } from "~/db/migrate/open-db.server";
import { OfficeNotFoundError, updateOffice } from "~/targets/offices.server";
import { ZodError } from "zod";

const USAGE =
  "Usage: npm run office -- <office key> [--email <address> | --no-email] [--activate | --deactivate]\n" +
  "The key is a member's bioguide id (e.g. C000127) or WH for the White House.";

async function main(args: string[]): Promise<number> {
  const [key, ...rest] = args;
  if (!key || key.startsWith("-")) {
    console.error(USAGE);
    return 2;
  }
  const changes: { email?: string | null; active?: boolean } = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--email" && rest[i + 1]) changes.email = rest[++i];
    else if (arg === "--no-email") changes.email = null;
    else if (arg === "--activate") changes.active = true;
    else if (arg === "--deactivate") changes.active = false;
    else {
      console.error(`Unknown argument: ${arg}\n${USAGE}`);
      return 2;
    }
  }
  const db = await openMigratedDb(env().DATABASE_URL);
  try {
    const { office, released } = await updateOffice(db, key, changes);
    console.log(
      `${office.title} ${office.fullName} (${office.key}): e-mail ${office.email ?? "none"}, ` +
        `${office.active ? "active" : "inactive"}. ${released} held letter(s) queued again.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof OfficeNotFoundError) console.error(error.message);
    else if (error instanceof ZodError) console.error(`Not changed: ${error.issues.map((i) => i.message).join("; ")}`);
    else throw error;
    return 1;
  } finally {
    await db.$disconnect();
  }
}

process.exitCode = await main(process.argv.slice(2));
