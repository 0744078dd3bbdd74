// The organizer login form's schema (browser and server).
import { z } from "zod";
import { emailField } from "~/web/email-field";

export const LoginSchema = z.object({
  email: emailField,
  password: z
    .string({ required_error: "Password is required" })
    .min(1, "Password is required")
    .max(1024, "Password must be at most 1024 characters"),
  // A hidden field: only ever a path inside /admin (see safeRedirect); anything else is dropped.
  redirectTo: z.string().max(2000).optional().catch(undefined),
});
