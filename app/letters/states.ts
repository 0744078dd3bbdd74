// How a letter names a place ("Seattle, Washington"; "Washington, D.C.").
import { findState } from "~/offices/states";

/** "WA" → "Washington"; DC reads as "D.C." after its city; anything unknown is kept as typed. */
export function letterStateName(code: string): string {
  const upper = code.trim().toUpperCase();
  if (upper === "DC") return "D.C.";
  return findState(upper)?.name ?? code.trim();
}
