// Creates and migrates the database, loads the bundled offices and seeds the memo's campaign:
// what `npm start` does before serving, for deployments that prepare the database apart.
import { db } from "~/db/client.server";
import { env } from "~/env.server";
import { prepareDatabase } from "~/setup/prepare.server";

await prepareDatabase(db(), env());
await db().$disconnect();
