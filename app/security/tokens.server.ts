// Confirmation tokens: random, stored only as a SHA-256 hash, single-use and expiring.
import { createHash, randomBytes } from "node:crypto";

export const CONFIRM_TOKEN_DAYS = 7;

export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function tokenExpiry(now = new Date()): Date {
  return new Date(now.getTime() + CONFIRM_TOKEN_DAYS * 24 * 60 * 60 * 1000);
}
