// The team's forms (browser and server): inviting, accepting an invitation, changing a role,
// changing one's own password.
import { z } from "zod";
import { emailField } from "~/web/email-field";
import { ROLES } from "./roles";

export const PASSWORD_MIN = 12;

const newPassword = z
  .string({ required_error: "Choose a password" })
  .min(PASSWORD_MIN, `The password must be at least ${PASSWORD_MIN} characters`)
  .max(1024, "The password must be at most 1024 characters");

const role = z.enum(ROLES, { errorMap: () => ({ message: "Choose a role: owner, organizer or viewer" }) });

export const InviteSchema = z.object({ email: emailField, role });
export type InviteInput = z.input<typeof InviteSchema>;

export const AcceptInviteSchema = z
  .object({
    name: z
      .string({ required_error: "Your name is required" })
      .trim()
      .min(1, "Your name is required")
      .max(120, "Your name must be at most 120 characters"),
    password: newPassword,
    confirm: z.string({ required_error: "Repeat the password" }),
  })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] });
export type AcceptInviteInput = z.input<typeof AcceptInviteSchema>;

export const PasswordChangeSchema = z
  .object({
    current: z
      .string({ required_error: "Your current password is required" })
      .min(1, "Your current password is required"),
    password: newPassword,
    confirm: z.string({ required_error: "Repeat the new password" }),
  })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] })
  .refine((v) => v.password !== v.current, {
    message: "Choose a password different from the current one",
    path: ["password"],
  });
export type PasswordChangeInput = z.input<typeof PasswordChangeSchema>;

export const RoleChangeSchema = z.object({ organizerId: z.string().min(1), role });
