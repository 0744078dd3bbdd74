import { describe, expect, it } from "vitest";
import { getLetterTemplate } from "./campaigns";
import { composeLetter, type LetterOffice, type LetterSupporter } from "./compose";

const TEMPLATE = "landmines-2020";
const ALL_POINTS = ["ban", "accede", "stockpiles", "mine-action"];

const offices = {
  president: {
    chamber: "white_house",
    title: "President",
    firstName: null,
    lastName: "President",
    fullName: "The President",
    state: null,
    district: null,
  },
  senator: {
    chamber: "senate",
    title: "Senator",
    firstName: "Maria",
    lastName: "Cantwell",
    fullName: "Maria Cantwell",
    state: "WA",
    district: null,
  },
  representative: {
    chamber: "house",
    title: "Representative",
    firstName: "Adam",
    lastName: "Smith",
    fullName: "Adam Smith",
    state: "WA",
    district: 9,
  },
  delegate: {
    chamber: "house",
    title: "Delegate",
    firstName: "Eleanor",
    lastName: "Norton",
    fullName: "Eleanor Holmes Norton",
    state: "DC",
    district: 0,
  },
  residentCommissioner: {
    chamber: "house",
    title: "Resident Commissioner",
    firstName: "Pablo José",
    lastName: "Hernández",
    fullName: "Pablo José Hernández",
    state: "PR",
    district: 0,
  },
} satisfies Record<string, LetterOffice>;

const supporter: LetterSupporter = {
  firstName: "Ana",
  lastName: "Ruiz",
  street: "1200 Pike St Apt 4",
  city: "Seattle",
  state: "WA",
  zip: "98101",
  message: null,
};

function letter(
  office: LetterOffice,
  overrides: {
    points?: string[];
    seed?: string;
    supporter?: Partial<LetterSupporter>;
  } = {},
) {
  return composeLetter({
    template: TEMPLATE,
    office,
    supporter: { ...supporter, ...overrides.supporter },
    points: overrides.points ?? ALL_POINTS,
    seed: overrides.seed ?? "signature-1:office-1",
  });
}

const seeds = Array.from({ length: 50 }, (_, i) => `signature-${i}:office`);

describe("composeLetter: who it is addressed to", () => {
  it.each([
    ["President", offices.president, "Dear Mr. President,"],
    ["Senator", offices.senator, "Dear Senator Cantwell,"],
    ["Representative", offices.representative, "Dear Representative Smith,"],
    ["Delegate", offices.delegate, "Dear Delegate Norton,"],
    ["Resident Commissioner", offices.residentCommissioner, "Dear Resident Commissioner Hernández,"],
  ])("greets a %s by title and last name", (_kind, office, salutation) => {
    const composed = letter(office);
    expect(composed.salutation).toBe(salutation);
    expect(composed.text.startsWith(`${salutation}\n\n`)).toBe(true);
  });

  it("says where the supporter lives, in the terms of the office", () => {
    for (const seed of seeds.slice(0, 20)) {
      expect(letter(offices.senator, { seed }).text).toContain("Seattle, Washington, in your state");
      expect(letter(offices.representative, { seed }).text).toContain("Seattle, Washington, in your district");
      const toPresident = letter(offices.president, { seed }).text;
      expect(toPresident).toContain("Seattle, Washington");
      expect(toPresident).not.toMatch(/in your (state|district)/);
    }
  });

  it("names the District of Columbia the way its residents write it", () => {
    const composed = letter(offices.delegate, {
      supporter: {
        city: "Washington",
        state: "DC",
        zip: "20001",
        street: "1 Capitol St",
      },
    });
    expect(composed.text).toContain("Washington, D.C., in your district");
    expect(composed.signature[2]).toBe("Washington, DC 20001");
  });
});

describe("composeLetter: the ask fits the office", () => {
  it("asks the President to declare the intent to accede within the next 100 days", () => {
    for (const seed of seeds) {
      const text = letter(offices.president, { seed }).text;
      expect(text).toMatch(/declare/);
      expect(text).toMatch(/accede/);
      expect(text).toMatch(/next 100 days/);
      expect(text).not.toContain("advice and consent");
    }
  });

  it("asks a senator for advice and consent to accession", () => {
    for (const seed of seeds) {
      expect(letter(offices.senator, { seed }).text).toContain("advice and consent");
    }
  });

  it.each([
    ["Representative", offices.representative],
    ["Delegate", offices.delegate],
    ["Resident Commissioner", offices.residentCommissioner],
  ])("asks a %s for humanitarian mine action funding, not for a Senate vote", (_kind, office) => {
    for (const seed of seeds) {
      const text = letter(office, { seed }).text;
      expect(text).toMatch(/mine action funding|funding for humanitarian mine action/);
      expect(text).toMatch(/appropriations/);
      expect(text).not.toContain("advice and consent");
    }
  });

  it("still makes the office's core ask when the supporter ticked no point", () => {
    for (const seed of seeds.slice(0, 10)) {
      const toPresident = letter(offices.president, { seed, points: [] });
      expect(toPresident.text).toMatch(/next 100 days/);
      expect(toPresident.text).toMatch(/accede/);
      expect(letter(offices.senator, { seed, points: [] }).text).toContain("advice and consent");
      expect(letter(offices.representative, { seed, points: [] }).text).toMatch(
        /mine action funding|funding for humanitarian mine action/,
      );
      // Still a whole letter: opening, background, ask, thanks.
      expect(toPresident.paragraphs.length).toBeGreaterThanOrEqual(4);
    }
  });
});

describe("composeLetter: the supporter's choices", () => {
  it("argues only for the points the supporter chose", () => {
    for (const seed of seeds.slice(0, 20)) {
      const banOnly = letter(offices.senator, { seed, points: ["ban"] }).text;
      expect(banOnly).toMatch(/transfer/);
      expect(banOnly).not.toContain("advice and consent"); // accede
      expect(banOnly).not.toContain("Mine Ban Treaty"); // accede
      expect(banOnly).not.toContain("timeline"); // stockpiles
      expect(banOnly).not.toContain("mine action"); // mine-action
      expect(banOnly).not.toContain("$220 million"); // mine-action

      const fundingOnly = letter(offices.president, {
        seed,
        points: ["mine-action"],
      }).text;
      expect(fundingOnly).toContain("mine action");
      expect(fundingOnly).not.toContain("100 days");
      expect(fundingOnly).not.toMatch(/accede|accession/);
      expect(fundingOnly).not.toContain("timeline");

      const treatiesAndStocks = letter(offices.representative, {
        seed,
        points: ["accede", "stockpiles"],
      }).text;
      expect(treatiesAndStocks).toContain("timeline");
      expect(treatiesAndStocks).toMatch(/accede|accession/);
      expect(treatiesAndStocks).not.toContain("mine action");
      expect(treatiesAndStocks).not.toContain("$220 million");
    }
  });

  it("keeps the supporter's own words verbatim, trimmed, as their own paragraph before the sign-off", () => {
    const words = "My grandfather lost his leg to a mine in Laos.\nPlease do not let this go on.";
    const composed = letter(offices.senator, {
      supporter: { message: `  \n${words}   \n` },
    });
    expect(composed.ownWords).toBe(words);
    expect(composed.paragraphs).not.toContain(words);
    expect(composed.text).toContain(`\n\n${words}\n\n${composed.closing}\n`);
  });

  it("leaves no empty paragraph when the message is blank", () => {
    const composed = letter(offices.senator, {
      supporter: { message: "   \n  " },
    });
    expect(composed.ownWords).toBeNull();
    expect(composed.text).not.toMatch(/\n\n\s*\n/);
  });

  it("keeps line breaks typed in a browser form but not its carriage returns", () => {
    const composed = letter(offices.senator, {
      supporter: { message: "First line.\r\nSecond line." },
    });
    expect(composed.ownWords).toBe("First line.\nSecond line.");
  });

  it("is signed with the supporter's name and postal address", () => {
    const composed = letter(offices.representative, {
      supporter: { state: "wa", city: " Seattle " },
    });
    expect(composed.signature).toEqual(["Ana Ruiz", "1200 Pike St Apt 4", "Seattle, WA 98101"]);
    expect(composed.text.endsWith(`${composed.closing}\nAna Ruiz\n1200 Pike St Apt 4\nSeattle, WA 98101`)).toBe(true);
    expect(composed.closing).toMatch(/,$/);
  });

  it("lays the plain text out as salutation, paragraphs, own words, closing and signature", () => {
    const composed = letter(offices.senator, {
      supporter: { message: "Thank you." },
    });
    expect(composed.text).toBe(
      [
        composed.salutation,
        ...composed.paragraphs,
        "Thank you.",
        [composed.closing, ...composed.signature].join("\n"),
      ].join("\n\n"),
    );
  });

  it("refuses a point the campaign does not have instead of silently dropping it", () => {
    expect(() => letter(offices.senator, { points: ["ban", "nuclear"] })).toThrow(/nuclear/);
  });

  it("refuses an unknown template by name", () => {
    expect(() =>
      composeLetter({
        template: "no-such-campaign",
        office: offices.senator,
        supporter,
        points: [],
        seed: "x",
      }),
    ).toThrow(/no-such-campaign/);
  });
});

describe("composeLetter: every letter reads as written by a person", () => {
  it("gives the same letter for the same seed (the preview is what is sent)", () => {
    expect(letter(offices.senator, { seed: "abc" })).toEqual(letter(offices.senator, { seed: "abc" }));
  });

  it("gives different wording for different seeds with otherwise identical input", () => {
    expect(letter(offices.senator, { seed: "sig-a:S1" }).text).not.toBe(
      letter(offices.senator, { seed: "sig-b:S1" }).text,
    );
  });

  it("never sends the same letter twice to an office among 50 supporters", () => {
    for (const office of [offices.president, offices.senator, offices.representative]) {
      const letters = seeds.map((seed) => letter(office, { seed }));
      expect(new Set(letters.map((l) => l.text)).size).toBe(seeds.length);
      const openings = new Set(letters.map((l) => `${l.subject}\n${l.paragraphs[0]}`));
      expect(openings.size).toBeGreaterThanOrEqual(20);
      expect(new Set(letters.map((l) => l.closing)).size).toBeGreaterThan(1);
    }
  });

  it("varies the order of the points", () => {
    const askOrder = (seed: string) =>
      letter(offices.senator, { seed })
        .paragraphs.map((p) =>
          p.includes("advice and consent")
            ? "accede"
            : p.includes("timeline")
              ? "stockpiles"
              : p.includes("mine action")
                ? "mine-action"
                : p.match(/produc/)
                  ? "ban"
                  : "",
        )
        .filter(Boolean)
        .join(",");
    expect(new Set(seeds.map(askOrder)).size).toBeGreaterThan(5);
  });

  it("writes differently to a supporter's two senators even with one seed for the signature", () => {
    const murray: LetterOffice = {
      ...offices.senator,
      firstName: "Patty",
      lastName: "Murray",
      fullName: "Patty Murray",
    };
    const toCantwell = letter(offices.senator, { seed: "signature-9" });
    const toMurray = letter(murray, { seed: "signature-9" });
    expect(toMurray.text.replace("Murray", "Cantwell")).not.toBe(toCantwell.text);
  });

  it("keeps the subject and opening when the supporter changes which points they tick", () => {
    const all = letter(offices.senator, { seed: "s" });
    const fewer = letter(offices.senator, { seed: "s", points: ["ban"] });
    expect(fewer.subject).toBe(all.subject);
    expect(fewer.paragraphs[0]).toBe(all.paragraphs[0]);
  });
});

describe("the landmines-2020 campaign content", () => {
  const template = getLetterTemplate(TEMPLATE);

  it("offers the memo's four recommendations as checkbox points", () => {
    expect(template.points.map((p) => p.key)).toEqual(ALL_POINTS);
    for (const point of template.points) {
      expect(point.label.length).toBeGreaterThan(10);
      expect(point.label.length).toBeLessThanOrEqual(80);
      expect(point.summary.length).toBeGreaterThan(20);
    }
    expect(template.title).toBe("Ban landmines and cluster munitions");
    const paragraphs = template.caseSummary.split("\n\n");
    expect(paragraphs.length).toBeGreaterThanOrEqual(2);
    expect(paragraphs.length).toBeLessThanOrEqual(3);
  });

  it("has an ask for every point and every office kind", () => {
    for (const point of template.points) {
      for (const kind of ["president", "senator", "house"] as const) {
        expect(template.asks[point.key]?.[kind]?.length ?? 0).toBeGreaterThanOrEqual(2);
      }
    }
  });
});
