import { describe, expect, it } from "vitest";
import { describeChannels, parseChannelsConfig } from "./config.server";

const agent = {
  CWC_DELIVERY_AGENT: "Sincerely Campaigns",
  CWC_ACK_EMAIL: "acks@sincerely.example",
  CWC_CONTACT_NAME: "Ada Lovelace",
  CWC_CONTACT_EMAIL: "ada@sincerely.example",
  CWC_CONTACT_PHONE: "202-555-0142",
};

describe("the channels' configuration at start-up", () => {
  it("leaves every channel off when no key is set", () => {
    const config = parseChannelsConfig({});
    expect(config).toMatchObject({ cwc: { house: null, senate: null, agent: null }, print: null });
    expect(describeChannels(config)).toBe("House CWC off, Senate CWC off, print off");
  });

  it("turns a channel on with its key, with the default service addresses", () => {
    const config = parseChannelsConfig({
      CWC_HOUSE_API_KEY: "k1",
      SCWC_API_KEY: "k2",
      LOB_API_KEY: "test_abc",
      ...agent,
    });
    expect(config.cwc.house).toEqual({
      apiKey: "k1",
      url: "https://cwc.house.gov",
      testUrl: "https://uat-cwc.house.gov",
    });
    expect(config.cwc.senate).toEqual({ apiKey: "k2", url: "https://soapbox.senate.gov" });
    expect(config.print).toEqual({ apiKey: "test_abc", url: "https://api.lob.com", keyMode: "test" });
    expect(describeChannels(config)).toBe("House CWC on, Senate CWC on, print on (Lob test key)");
  });

  it("refuses a key without the vendor's details, and a malformed Lob key, naming every variable at fault", () => {
    expect(() =>
      parseChannelsConfig({ SCWC_API_KEY: "k2", CWC_CONTACT_PHONE: "5550142", LOB_API_KEY: "sk_1" }),
    ).toThrow(
      new RegExp(
        [
          "CWC_DELIVERY_AGENT: is required",
          "CWC_ACK_EMAIL: is required",
          "CWC_CONTACT_EMAIL: is required",
          "CWC_CONTACT_NAME: is required",
          "CWC_CONTACT_PHONE: must look like 202-555-0142",
          "LOB_API_KEY: must be a Lob secret key",
        ].join("[^]*"),
      ),
    );
  });
});
