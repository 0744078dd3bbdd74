// The channels this process delivers through, made once from the configuration: each is on when
// its key is set. The CWC office lists and the Senate's send rate live in the database, shared by
// every worker (./office-lists.server.ts, ./send-rate.server.ts).
import type { Db } from "~/db/client.server";
import type { ChannelName, DeliveryChannel } from "./channel";
import type { ChannelsConfig } from "./config.server";
import { createHouseCwcChannel } from "./cwc/house.server";
import { createSenateCwcChannel } from "./cwc/senate.server";
import { databaseOfficeListStore } from "./office-lists.server";
import { createLobChannel } from "./print/lob.server";
import { senateSendRate } from "./send-rate.server";

/** The channels besides e-mail (the worker's own transport), those that are on. */
export type OfficeChannels = Partial<Record<Exclude<ChannelName, "email">, DeliveryChannel>>;

/** Makes the configured channels and loads the CWC office lists (fetched when 12 hours old). */
export async function createChannels(db: Db, config: ChannelsConfig): Promise<OfficeChannels> {
  const channels: OfficeChannels = {};
  const store = databaseOfficeListStore(db);
  if (config.cwc.house && config.cwc.agent) {
    const house = createHouseCwcChannel({ config: config.cwc, store });
    await house.refreshOffices();
    channels["house-cwc"] = house;
  }
  if (config.cwc.senate && config.cwc.agent) {
    const senate = createSenateCwcChannel({ config: config.cwc, store, limiter: senateSendRate(db) });
    await senate.refreshOffices();
    channels["senate-cwc"] = senate;
  }
  if (config.print) channels.print = createLobChannel(config.print);
  return channels;
}
