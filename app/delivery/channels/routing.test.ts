import { describe, expect, it } from "vitest";
import type { ChannelName, LetterOffice } from "./channel";
import { NO_CHANNEL_REASON, routeLetter, type RoutingContext } from "./routing";

const office = (fields: Partial<LetterOffice>): LetterOffice => ({
  key: "S000033",
  chamber: "senate",
  title: "Senator",
  fullName: "Bernard Sanders",
  state: "VT",
  district: null,
  senateClass: 1,
  postalAddress: "332 Dirksen Senate Office Building Washington DC 20510",
  email: null,
  ...fields,
});

const context = (fields: Partial<RoutingContext> & { taking?: ChannelName[] } = {}): RoutingContext => ({
  mode: "live",
  testInbox: null,
  channelsOff: [],
  refusedBy: [],
  accepts: (channel) => (fields.taking ?? ["house-cwc", "senate-cwc", "print"]).includes(channel),
  ...fields,
});

describe("routing a letter to its channel", () => {
  it("prefers an address an organizer set, then the chamber's CWC service, then print", () => {
    expect(routeLetter(office({ email: "staff@sanders.senate.gov" }), context()).channel).toBe("email");
    expect(routeLetter(office({}), context()).channel).toBe("senate-cwc");
    expect(routeLetter(office({ chamber: "house", key: "B001318", district: 0 }), context()).channel).toBe("house-cwc");
    expect(routeLetter(office({}), context({ taking: ["print"] }))).toEqual({
      channel: "print",
      why: "printed and mailed to the office's Washington address",
    });
  });

  it("never sends a senator's letter through the House's service, nor the White House's through CWC", () => {
    expect(routeLetter(office({}), context({ taking: ["house-cwc"] })).channel).toBeNull();
    expect(routeLetter(office({ chamber: "white_house", key: "WH", state: null }), context()).channel).toBe("print");
  });

  it("moves to the next channel after a 'not taken' refusal, and says which refused when none is left", () => {
    expect(routeLetter(office({}), context({ refusedBy: ["senate-cwc"] })).channel).toBe("print");
    expect(routeLetter(office({}), context({ refusedBy: ["senate-cwc", "print"] }))).toEqual({
      channel: null,
      why: `${NO_CHANNEL_REASON} (refused by senate-cwc, print)`,
    });
  });

  it("holds a letter with the reason when nothing is configured, and respects channels a campaign turned off", () => {
    expect(routeLetter(office({}), context({ taking: [] }))).toEqual({ channel: null, why: NO_CHANNEL_REASON });
    expect(routeLetter(office({}), context({ channelsOff: ["senate-cwc"] })).channel).toBe("print");
    expect(routeLetter(office({ email: "x@y.gov" }), context({ channelsOff: ["email"] })).channel).toBe("senate-cwc");
  });

  it("sends a test campaign's letter to its test inbox only where the office has no channel", () => {
    const test = { mode: "test" as const, testInbox: "inbox@example.org" };
    expect(routeLetter(office({}), context({ ...test })).channel).toBe("senate-cwc");
    expect(routeLetter(office({}), context({ ...test, taking: [] }))).toMatchObject({ channel: "email" });
    expect(routeLetter(office({}), context({ ...test, testInbox: null, taking: [] })).channel).toBeNull();
  });
});
