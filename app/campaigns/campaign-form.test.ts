import { describe, expect, it } from "vitest";
import { campaignFormDefaults } from "./admin.server";
import { CampaignFormSchema, campaignFormErrors, formDataToNested } from "./campaign-form";

function valid(over: Record<string, unknown> = {}) {
  return { ...campaignFormDefaults(null), title: "Ban cluster munitions", slug: "ban-cluster-munitions", ...over };
}

describe("CampaignFormSchema", () => {
  it("accepts the starter content and turns text areas into variant lists", () => {
    const parsed = CampaignFormSchema.parse(
      valid({ subjects: { president: "One\n\n Two \n", senator: "S", house: "H" } }),
    );
    expect(parsed.subjects.president).toEqual(["One", "Two"]);
    expect(parsed.points.map((p) => p.key)).toEqual(["ban", "accede", "stockpiles", "mine-action"]);
    expect(parsed.mode).toBe("test");
  });

  it("names each problem by field", () => {
    const result = CampaignFormSchema.safeParse(
      valid({
        slug: "Bad Slug!",
        goal: "lots",
        subjects: { president: "", senator: "From {town}", house: "H" },
        testInbox: "not-an-address",
      }),
    );
    expect(result.success).toBe(false);
    const errors = campaignFormErrors(result.error!);
    expect(errors.slug).toMatch(/lower-case letters/);
    expect(errors.goal).toMatch(/number/);
    expect(errors["subjects.president"]).toMatch(/at least one/);
    expect(errors["subjects.senator"]).toMatch(/unknown placeholder \{town\}/);
    expect(errors.testInbox).toMatch(/email address/);
  });

  it("refuses a closing date before the opening date", () => {
    const result = CampaignFormSchema.safeParse(valid({ endsAt: "2026-01-01", startsAt: "2026-02-01" }));
    expect(campaignFormErrors(result.error!)).toEqual({ endsAt: "Closes: must not be before the opening date" });
  });

  it("drops the blank new-point row and removed points, and derives a key from a new label", () => {
    const defaults = valid();
    const points = [
      { ...defaults.points![0], remove: "on" },
      ...defaults.points!.slice(1),
      {
        key: "",
        label: "Fund survivors",
        summary: "Help survivors.",
        asks: { president: "Fund them.", senator: "Fund them.", house: "Fund them." },
      },
      { key: "", label: "", summary: "", asks: { president: "", senator: "", house: "" } },
    ];
    const parsed = CampaignFormSchema.parse({ ...defaults, points });
    expect(parsed.points.map((p) => p.key)).toEqual(["accede", "stockpiles", "mine-action", "fund-survivors"]);
  });

  it("asks for every office kind's ask of a point", () => {
    const defaults = valid();
    const points = [{ key: "x", label: "X", summary: "Y", asks: { president: "Ask", senator: "", house: "Ask" } }];
    const errors = campaignFormErrors(CampaignFormSchema.safeParse({ ...defaults, points }).error!);
    expect(errors["points.0.asks.senator"]).toMatch(/at least one ask for senators/);
  });

  it("needs at least one office to write to, and reserves the address 'new'", () => {
    const errors = campaignFormErrors(
      CampaignFormSchema.safeParse(
        valid({ slug: "new", targetsWhiteHouse: false, targetsSenators: false, targetsRepresentative: false }),
      ).error!,
    );
    expect(errors.targetsWhiteHouse).toMatch(/at least one office/);
    expect(errors.slug).toMatch(/reserved/);
  });
});

describe("formDataToNested", () => {
  it("reads dotted names into objects and lists, and repeated extra offices into a list", () => {
    const form = new FormData();
    form.append("title", "T");
    form.append("points.1.label", "Second");
    form.append("points.0.label", "First");
    form.append("points.0.asks.house", "Ask");
    form.append("extraOffices", "WH");
    form.append("extraOffices", "X-EPA");
    form.append("points.100000.label", "forged");
    expect(formDataToNested(form)).toEqual({
      title: "T",
      points: [{ label: "First", asks: { house: "Ask" } }, { label: "Second" }],
      extraOffices: ["WH", "X-EPA"],
    });
  });
});
