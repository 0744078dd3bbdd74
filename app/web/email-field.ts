// The e-mail field as every form reads it: trimmed, checked, lower-cased (addresses are
// compared and stored in one form, so the same person is found however they typed it).
import { z } from "zod";

export const emailField = z
  .string({ required_error: "Email is required" })
  .trim()
  .min(1, "Email is required")
  .max(254, "Email must be at most 254 characters")
  .email("Enter an email address like name@example.org")
  .transform((v) => v.toLowerCase());
