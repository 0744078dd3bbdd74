import { describe, expect, it } from "vitest";
import { highlight, screenOwnWords } from "./screen";

describe("screenOwnWords", () => {
  it("lets ordinary words through", () => {
    expect(screenOwnWords("My cousin lost a leg to a mine in Laos. Please act.")).toEqual({
      moderation: "none",
      reason: null,
      matches: [],
    });
    expect(screenOwnWords(null).moderation).toBe("none");
    expect(screenOwnWords("").moderation).toBe("none");
  });

  it("holds abusive words, also inside longer forms, naming them", () => {
    const result = screenOwnWords("You are a fucking coward, senator.");
    expect(result.moderation).toBe("review");
    expect(result.reason).toContain("fucking");
    expect(result.matches).toEqual(["fucking"]);
  });

  it("does not flag innocent words that contain a listed one", () => {
    expect(screenOwnWords("The assessment from Scunthorpe was thorough; I passed it on.").moderation).toBe("none");
    expect(screenOwnWords("Please reassess the classic shitake recipe")).toMatchObject({ moderation: "none" });
  });

  it("holds links", () => {
    const result = screenOwnWords("Read https://example.com/x and www.spam.test and buy-now.ru");
    expect(result.moderation).toBe("review");
    expect(result.reason).toMatch(/3 links/);
    expect(result.matches).toContain("https://example.com/x");
  });

  it("holds shouting over a length, but not a short acronym", () => {
    expect(screenOwnWords("BAN THESE WEAPONS NOW, I AM SO ANGRY").reason).toMatch(/shouting/i);
    expect(screenOwnWords("The USA and NATO should act.").moderation).toBe("none");
    expect(screenOwnWords("NO MORE MINES").moderation).toBe("none");
  });

  it("holds long runs of one character", () => {
    expect(screenOwnWords("Please!!!!!!!!!!").reason).toBe("Repeated characters");
  });
});

describe("highlight", () => {
  it("marks each match", () => {
    expect(highlight("a shit b", ["shit"])).toEqual([
      { text: "a ", match: false },
      { text: "shit", match: true },
      { text: " b", match: false },
    ]);
    expect(highlight("plain", [])).toEqual([{ text: "plain", match: false }]);
  });
});
