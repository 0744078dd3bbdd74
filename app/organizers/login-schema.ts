// The organizer login form's schema (browser and server).
import { z } from "zod";

export const LoginSchema = z.object({
  email: z
    .string({ required_error: "Email is required" })
    .trim()
    .min(1, "Email is required")
    .max(254, "Email must be at most 254 characters")
    .email("Enter an email address like name@example.org")
    .transform((v) => v.toLowerCase()),
  password: z
    .string({ required_error: "Password is required" })
    .min(1, "Password is required")
    .max(1024, "Password must be at most 1024 characters"),
  redirectTo: z.string().optional(),
});
