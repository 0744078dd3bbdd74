// Shared look of every e-mail: plain, readable, no branding. A letter to an office
// should look like a letter, and a note to a supporter like a note from a person.

import type { CSSProperties } from "react";

export const body: CSSProperties = {
  backgroundColor: "#ffffff",
  color: "#1a1a1a",
  fontFamily: "Georgia, 'Times New Roman', serif",
  margin: 0,
  padding: "24px 0",
};

export const container: CSSProperties = {
  maxWidth: "600px",
  margin: "0 auto",
  padding: "0 20px",
};

export const paragraph: CSSProperties = {
  fontSize: "16px",
  lineHeight: "1.6",
  margin: "0 0 16px",
};

export const small: CSSProperties = {
  fontSize: "14px",
  lineHeight: "1.5",
  color: "#555555",
  margin: "0 0 12px",
};

/** The one heading of a message to a supporter. */
export const heading: CSSProperties = { fontSize: "22px", fontWeight: "normal", margin: "0 0 20px" };
