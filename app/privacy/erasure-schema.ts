// The "delete my data" form (browser and server).
import { z } from "zod";
import { emailField } from "~/web/email-field";

export const ErasureRequestSchema = z.object({ email: emailField });
export type ErasureRequestInput = z.input<typeof ErasureRequestSchema>;

/** How long the deletion link in the e-mail works. */
export const ERASURE_LINK_HOURS = 24;
