// The campaign page: the case in short, the live count, and the sign form. Thin: the
// domain work is in ~/campaigns (signing) and ~/targets (offices).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useRevalidator, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect } from "react";
import { publicCampaignPage, signingState } from "~/campaigns/campaigns.server";
import { formDataToSignInput, SignSchema, signErrors } from "~/campaigns/sign-schema";
import { signCampaign } from "~/campaigns/sign.server";
import { SignForm, type SignActionData } from "~/campaigns/sign-form";
import { Signed } from "~/campaigns/signed";
import { db } from "~/db/client.server";
import { appUrl } from "~/env.server";
import { campaignContent } from "~/letters/content";
import { officeHolder } from "~/offices/office-label";
import {
  clientIpHash,
  emailKey,
  ipHashToStore,
  limits,
  retryAfterHeaders,
  tooManyMessage,
} from "~/security/request-guards.server";
import { limitHeaders } from "~/security/limit-headers";
import { readForm } from "~/security/read-form.server";
import { GoalBar } from "~/web/goal-bar";

export const headers = limitHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.campaign.title} · Sincerely` },
        { name: "description", content: data.campaign.summary },
        { property: "og:title", content: data.campaign.title },
        { property: "og:description", content: data.campaign.summary },
      ]
    : [{ title: "Campaign not found · Sincerely" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const page = await publicCampaignPage(params.slug ?? "", context);
  if (!page) throw new Response("Not found", { status: 404 });
  const { campaign, extraOffices } = page;
  const content = campaignContent(campaign);
  return {
    extraOffices: extraOffices.map(officeHolder),
    signing: signingState(campaign),
    opensAt: campaign.startsAt?.toISOString() ?? null,
    campaign: {
      slug: campaign.slug,
      title: campaign.title,
      summary: campaign.summary,
      body: campaign.body,
      goal: campaign.goal,
      count: campaign.confirmedCount,
      targetsWhiteHouse: campaign.targetsWhiteHouse,
      targetsSenators: campaign.targetsSenators,
      targetsRepresentative: campaign.targetsRepresentative,
    },
    points: content.points,
    shareUrl: `${appUrl()}/c/${campaign.slug}`,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const page = await publicCampaignPage(params.slug ?? "", context);
  if (!page) throw new Response("Not found", { status: 404 });
  const { campaign, extraOffices } = page;
  if (signingState(campaign) !== "open") {
    return data<SignActionData>(
      { status: "invalid", errors: { form: "This campaign is not taking signatures now." }, values: {} },
      { status: 409 },
    );
  }
  const posted = formDataToSignInput(await readForm(request));
  const values = Object.fromEntries(Object.entries(posted).filter(([k]) => k !== "website")) as Record<
    string,
    string | string[]
  >;
  const tooMany = (seconds: number) =>
    data<SignActionData>(
      { status: "invalid", errors: { form: tooManyMessage(seconds) }, values },
      { status: 429, headers: retryAfterHeaders(seconds) },
    );

  // Every post from an address counts, junk included; a valid one also counts for its e-mail.
  const ipWait = await limits().consume({ signPerIp: clientIpHash(context) });
  if (ipWait !== null) return tooMany(ipWait);
  const parsed = SignSchema.safeParse(posted);
  if (!parsed.success) {
    return data<SignActionData>({ status: "invalid", errors: signErrors(parsed.error), values }, { status: 400 });
  }
  const emailWait = await limits().consume({ signPerEmail: emailKey(parsed.data.email) });
  if (emailWait !== null) return tooMany(emailWait);
  if (parsed.data.website !== "") {
    return data<SignActionData>(
      { status: "invalid", errors: { form: "The form was not filled in as expected. Please try again." }, values },
      { status: 400 },
    );
  }
  const result = await signCampaign(db(), campaign, parsed.data, { ipHash: ipHashToStore(context), extraOffices });
  if (result.status === "invalid") {
    return data<SignActionData>(
      { status: "invalid", errors: result.errors, candidates: result.candidates, values },
      { status: 400 },
    );
  }
  // A new signature counts once it is confirmed, so the count read above is still current.
  return data<SignActionData>({ ...result, count: campaign.confirmedCount });
}

/**
 * A signature's answer is the whole next page (the letters, and the count read with the campaign),
 * so the campaign is not loaded again after it: that would be a second request to the server for
 * every supporter, in the surge when a campaign goes viral.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, actionResult, defaultShouldRevalidate }) =>
  formMethod?.toUpperCase() === "POST" && (actionResult as SignActionData | undefined)?.status === "signed"
    ? false
    : defaultShouldRevalidate;

export default function CampaignPage() {
  const { campaign, points, shareUrl, signing, opensAt, extraOffices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as SignActionData | undefined;
  const revalidator = useRevalidator();

  // Keep the count live while the page is open.
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, 30_000);
    return () => window.clearInterval(id);
  }, [revalidator]);

  if (actionData?.status === "signed") {
    return <Signed campaign={campaign} result={actionData} shareUrl={shareUrl} />;
  }

  const recipients = [
    campaign.targetsWhiteHouse && "the President",
    campaign.targetsSenators && "your two senators",
    campaign.targetsRepresentative && "your representative in the House",
    ...extraOffices,
  ].filter(Boolean) as string[];

  return (
    <article className="campaign">
      <h1>{campaign.title}</h1>
      <p className="lede">{campaign.summary}</p>
      <GoalBar count={campaign.count} goal={campaign.goal} />
      <div className="campaign-grid">
        <section className="case" aria-labelledby="case-heading">
          <h2 id="case-heading">Why this matters</h2>
          {campaign.body.split(/\n\s*\n/).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
          <h3>What your letters ask</h3>
          <ul>
            {points.map((p) => (
              <li key={p.key}>
                <strong>{p.label}.</strong> {p.summary}
              </li>
            ))}
          </ul>
        </section>
        <section className="panel sign" aria-labelledby="sign-heading">
          <h2 id="sign-heading">Sign and send your letters</h2>
          <p>
            Your letters go to {joinList(recipients)}: each addressed by name, in your words and with your address, so
            each office knows it hears from a constituent.
          </p>
          {signing === "open" ? (
            <SignForm points={points} actionData={actionData} />
          ) : signing === "closed" ? (
            <p role="status">
              This campaign has closed. {campaign.count.toLocaleString("en-US")} supporter
              {campaign.count === 1 ? "" : "s"} sent their letters. Thank you.
            </p>
          ) : (
            <p role="status">
              This campaign opens on{" "}
              {new Date(opensAt ?? 0).toLocaleDateString("en-US", { dateStyle: "long", timeZone: "UTC" })}. Come back
              then to sign.
            </p>
          )}
        </section>
      </div>
    </article>
  );
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
