// The worker's one decision about where a letter goes, as moderation bears on it.
import { describe, expect, it } from "vitest";
import { AWAITING_MODERATION_REASON, chooseRecipient, ERASED_REASON, REJECTED_REASON } from "~/delivery/message.server";

const campaign = { id: "c", mode: "live", testInbox: "inbox@example.org" };
const office = {
  id: "o",
  chamber: "senate",
  title: "Senator",
  fullName: "Maria Cantwell",
  email: "s@x.gov",
  active: true,
};

describe("chooseRecipient and moderation", () => {
  it("holds letters whose words await review, even on a staging redirect", () => {
    expect(chooseRecipient({ campaign, office, moderation: "review", redirectTo: "staging@example.org" })).toEqual({
      kind: "hold",
      reason: AWAITING_MODERATION_REASON,
    });
  });

  it("cancels letters whose words were rejected, in test mode too", () => {
    expect(chooseRecipient({ campaign: { ...campaign, mode: "test" }, office, moderation: "rejected" })).toEqual({
      kind: "cancel",
      reason: REJECTED_REASON,
    });
  });

  it("cancels the letters of a supporter whose data was erased while they were in flight, whatever else holds", () => {
    expect(
      chooseRecipient({ campaign, office, moderation: "approved", erased: true, redirectTo: "staging@example.org" }),
    ).toEqual({ kind: "cancel", reason: ERASED_REASON });
  });

  it("sends approved and unscreened letters as usual", () => {
    for (const moderation of ["approved", "none", undefined]) {
      expect(chooseRecipient({ campaign, office, moderation })).toEqual({ kind: "send", to: "s@x.gov", via: "office" });
    }
  });
});
