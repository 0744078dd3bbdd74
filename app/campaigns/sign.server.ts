// Signing a campaign: resolve the supporter's offices, compose one letter per office,
// store the pending signature with its letters, and queue the confirmation e-mail (the worker sends it).
// Nothing goes to an office until the link is clicked (see confirm.server.ts).
import { isUniqueViolation, type Db } from "~/db/client.server";
import { newId } from "~/db/ids";
import { workQueued } from "~/delivery/wake.server";
import type { Campaign, Letter, Office, Signature } from "~/generated/prisma/client";
import { composeLetter, type ComposedLetter, type LetterOffice } from "~/letters/compose";
import { campaignContent } from "~/letters/content";
import { screenOwnWords } from "~/moderation/screen";
import { letterHtml } from "#emails/render.server";
import { officeHolder } from "~/offices/office-label";
import { resolveTargets, type DistrictCandidate, type Vacancy } from "~/targets/resolve.server";
import { extraOfficesOf } from "./campaigns.server";
import type { FieldErrors, SignValues } from "./sign-schema";
import { contentOf, emailSupporter, newConfirmation } from "./supporter-mail.server";
import { insertPendingSignature } from "./sign.sql.server";

export interface ShownLetter {
  office: string;
  subject: string;
  text: string;
}

export type SignResult =
  | { status: "invalid"; errors: FieldErrors; candidates?: DistrictCandidate[] }
  | {
      status: "signed";
      letters: ShownLetter[];
      vacancies: Vacancy[];
      firstName: string;
      email: string;
    };

function letterOffice(office: Office): LetterOffice {
  return {
    chamber: office.chamber as LetterOffice["chamber"],
    title: office.title as LetterOffice["title"],
    firstName: office.firstName,
    lastName: office.lastName,
    fullName: office.fullName,
    state: office.state,
    district: office.district,
  };
}

function compose(campaign: Campaign, office: Office, values: SignValues, seed: string): ComposedLetter {
  return composeLetter({
    template: campaignContent(campaign),
    office: letterOffice(office),
    supporter: {
      firstName: values.firstName,
      lastName: values.lastName,
      street: values.street,
      city: values.city,
      state: values.state,
      zip: values.zip,
      message: values.message,
    },
    points: values.points,
    seed,
  });
}

export async function signCampaign(
  db: Db,
  campaign: Campaign,
  values: SignValues,
  options: {
    now?: Date;
    /** Keyed hash of the client's address (see ~/security/ip-hash.server). */ ipHash?: string | null;
    /** The campaign's extra offices, when the caller has read them already (else they are read here). */
    extraOffices?: Office[];
  } = {},
): Promise<SignResult> {
  const now = options.now ?? new Date();
  const known = new Set(campaignContent(campaign).points.map((p) => p.key));
  const unknown = values.points.filter((key) => !known.has(key));
  if (unknown.length > 0) {
    return { status: "invalid", errors: { points: `Unknown point: ${unknown.join(", ")}` } };
  }
  const resolution = await resolveTargets(
    db,
    { zip: values.zip, state: values.state, district: values.district },
    {
      wantWhiteHouse: campaign.targetsWhiteHouse,
      wantSenators: campaign.targetsSenators,
      wantRepresentative: campaign.targetsRepresentative,
    },
  );
  if (!resolution.ok) {
    return {
      status: "invalid",
      errors: { [resolution.field]: resolution.error },
      candidates: "candidates" in resolution ? resolution.candidates : undefined,
    };
  }
  // Offices the campaign names besides the supporter's own (an agency, a committee chair):
  // every supporter writes to them too.
  const extra = options.extraOffices ?? (await extraOfficesOf(campaign.id, db));
  const resolvedIds = new Set(resolution.offices.map((office) => office.id));
  resolution.offices.push(...extra.filter((office) => !resolvedIds.has(office.id)));
  if (resolution.offices.length === 0) {
    return {
      status: "invalid",
      errors: { zip: "We found no office to write to for this address right now." },
    };
  }

  const signatureId = newId();
  const composed = resolution.offices.map((office) => {
    const letter = compose(campaign, office, values, signatureId);
    return { office, letter, html: letterHtml(letter) };
  });
  // Own words that look abusive hold the letters for an organizer (see app/moderation/).
  const screening = screenOwnWords(values.message);

  const confirmation = newConfirmation(
    contentOf(
      campaign,
      composed.map(({ office }) => officeHolder(office)),
    ),
    now,
  );
  // All or nothing: the signature, its letters, its confirmation token's hash and the queued
  // confirmation e-mail, on the direct road (sign.sql.server.ts).
  try {
    await insertPendingSignature(db, {
      signature: {
        id: signatureId,
        campaignId: campaign.id,
        // Asked by the sign form once letters travel through CWC (the form is not wired yet).
        prefix: null,
        firstName: values.firstName,
        lastName: values.lastName,
        email: values.email,
        phone: null,
        street: values.street,
        city: values.city,
        state: values.state,
        zip: values.zip,
        district: resolution.district,
        points: JSON.stringify(values.points),
        message: values.message,
        consentToContact: values.consent,
        moderation: screening.moderation,
        moderationReason: screening.reason,
        ipHash: options.ipHash ?? null,
        createdAt: now,
      },
      letters: composed.map(({ office, letter, html }) => ({
        officeId: office.id,
        subject: letter.subject,
        salutation: letter.salutation,
        bodyText: letter.text,
        bodyHtml: html,
      })),
      token: confirmation.token,
      email: confirmation.email,
    });
  } catch (error) {
    // This e-mail has signed already (perhaps a moment ago, in a post racing this one). Found by
    // the unique key rather than looked up first: most posts are new signatures.
    if (isUniqueViolation(error)) return answerRepeatSigner(db, campaign, values, resolution, now);
    throw error;
  }

  workQueued();

  return {
    status: "signed",
    letters: composed.map(({ office, letter }) => ({
      office: officeHolder(office),
      subject: letter.subject,
      text: letter.text,
    })),
    vacancies: resolution.vacancies,
    firstName: values.firstName,
    email: values.email,
  };
}

/**
 * Someone (perhaps not the address's owner) signed again with this e-mail. The page answers
 * exactly as for a new signature, built from what was posted and stored nowhere; only the
 * address's owner learns, by e-mail, that they had already signed.
 */
async function answerRepeatSigner(
  db: Db,
  campaign: Campaign,
  values: SignValues,
  resolution: { offices: Office[]; vacancies: Vacancy[] },
  now: Date,
): Promise<SignResult> {
  const existing = await db.signature.findUniqueOrThrow({
    where: { campaignId_email: { campaignId: campaign.id, email: values.email } },
    include: { letters: { include: { office: true } } },
  });
  await remindExistingSigner(db, campaign, existing, now);
  const letters = resolution.offices.map((office) => {
    const letter = compose(campaign, office, values, `${values.email}:${now.getTime()}`);
    return { office: officeHolder(office), subject: letter.subject, text: letter.text };
  });
  return {
    status: "signed",
    letters,
    vacancies: resolution.vacancies,
    firstName: values.firstName,
    email: values.email,
  };
}

/** E-mails the address's owner: a fresh link if still pending, else a note that they signed. */
async function remindExistingSigner(
  db: Db,
  campaign: Campaign,
  signature: Signature & { letters: (Letter & { office: Office })[] },
  now: Date,
) {
  const offices = signature.letters.map((l) => officeHolder(l.office));
  const kind = signature.status === "pending" ? "confirmation" : "already_signed";
  return emailSupporter(db, signature, kind, contentOf(campaign, offices), now);
}
