// A fake of the Senate's CWC service (SOAPBox) for tests, answering as the real one does:
// POST /api/testing-messages/ and /api/production-messages/ (201 accepted; 409 this DeliveryId
// was accepted before; 400 a refusal with its reason; 415 not application/xml), GET
// /api/active_offices/ the participating offices. Its refusals' wording is ours.
import type { IncomingMessage } from "node:http";
import {
  CWC_SCHEMA,
  FakeCwcService,
  SchemaChecker,
  forcedHeaders,
  type FakeAnswer,
  type ForcedAnswer,
} from "./cwc-service";

// The bundled schema is the House's and pins MemberOffice to House codes (H, state, district).
// The Senate takes the same message for its own codes (S, state, 0, class), so here — and only
// here — that one pattern is widened to take Senate codes as well; everything else is unchanged.
const HOUSE_OFFICE_PATTERN = '<param name="pattern">H[A-Z][A-Z][0-9][0-9]</param>';
if (!CWC_SCHEMA.includes(HOUSE_OFFICE_PATTERN)) throw new Error("The CWC schema's MemberOffice pattern changed");
export const SENATE_CWC_SCHEMA = CWC_SCHEMA.replace(
  HOUSE_OFFICE_PATTERN,
  '<param name="pattern">H[A-Z][A-Z][0-9][0-9]|S[A-Z][A-Z]0[1-3]</param>',
);
const senateSchema = new SchemaChecker(SENATE_CWC_SCHEMA);

const PREFIXES = ["Mr.", "Mrs.", "Miss", "Ms.", "Dr."];

export interface SenateOffice {
  name: string;
  office_code: string;
}

function json(status: number, value: unknown, headers?: Record<string, string>): FakeAnswer {
  return { status, body: JSON.stringify(value), contentType: "application/json", headers };
}

function forcedAnswer(forced: ForcedAnswer): FakeAnswer {
  if (forced.status === 400) return json(400, { errors: forced.errors ?? ["The message was refused"] });
  if (forced.status === 401 || forced.status === 403) return json(forced.status, { detail: "Invalid API key." });
  if (forced.status === 409) return json(409, { detail: "A message with this DeliveryId was already accepted." });
  if (forced.status === 415) return json(415, { detail: "Unsupported media type in request." });
  return {
    status: forced.status,
    body: `Forced HTTP ${forced.status}`,
    contentType: "text/plain",
    headers: forcedHeaders(forced),
  };
}

export class FakeSenateCwc extends FakeCwcService {
  /** The active offices as SOAPBox lists them, names with bioguide ids. */
  activeOffices: SenateOffice[] = [
    { name: "Amy Klobuchar [bioguide_id: K000367]", office_code: "SMN01" },
    { name: "Alex Padilla [bioguide_id: P000145]", office_code: "SCA03" },
    { name: "Peter Welch [bioguide_id: W000800]", office_code: "SVT01" },
    { name: "Bernard Sanders [bioguide_id: S000033]", office_code: "SVT02" },
  ];
  /** On: the service is down for maintenance (503 to everything). */
  maintenance = false;

  constructor() {
    super(senateSchema);
  }

  /** Participating office codes; setting them lists each under a made-up name. */
  get offices(): string[] {
    return this.activeOffices.map((office) => office.office_code);
  }
  set offices(codes: string[]) {
    this.activeOffices = codes.map((code) => ({ name: `Senator for ${code}`, office_code: code }));
  }

  protected async route(request: IncomingMessage, url: URL, body: string): Promise<FakeAnswer> {
    if (this.maintenance) return { status: 503, body: "Down for maintenance", contentType: "text/html" };
    const listing = request.method === "GET" && url.pathname === "/api/active_offices/";
    if (listing) this.officeListRequests++;
    if (!this.keyIsRight(url)) return json(403, { detail: "Invalid API key." });
    if (listing) {
      return json(200, this.activeOffices);
    }
    if (request.method !== "POST" || !["/api/testing-messages/", "/api/production-messages/"].includes(url.pathname)) {
      return { status: 404, body: "Not Found", contentType: "text/html" };
    }
    const message = await this.receive(request, url, body);
    const answer = this.answer(
      message.contentType,
      message.schemaErrors,
      message.memberOffice,
      message.prefix,
      message.deliveryId,
    );
    message.status = answer.status;
    if (message.deliveryId && (answer.status === 201 || answer.status === 409)) {
      this.deliveryIds.set(message.deliveryId, (this.deliveryIds.get(message.deliveryId) ?? 0) + 1);
    }
    return answer;
  }

  private answer(
    contentType: string | null,
    schemaErrors: string[],
    memberOffice: string | null,
    prefix: string | null,
    deliveryId: string | null,
  ): FakeAnswer {
    const forced = this.takeForced();
    if (forced) return forcedAnswer(forced);
    if (!contentType?.startsWith("application/xml")) return forcedAnswer({ status: 415 });
    if (schemaErrors.length > 0) return json(400, { errors: schemaErrors });
    if (!prefix || !PREFIXES.includes(prefix))
      return json(400, { errors: [`Prefix "${prefix}" is not one of ${PREFIXES.join(", ")}`] });
    if (!memberOffice || !this.offices.includes(memberOffice)) {
      return json(400, { errors: [`MemberOffice ${memberOffice ?? ""} is not an active office`] });
    }
    if (deliveryId && this.deliveryIds.has(deliveryId)) return forcedAnswer({ status: 409 });
    return json(201, { detail: "Created", DeliveryId: deliveryId });
  }
}

export async function startFakeSenateCwc(): Promise<FakeSenateCwc> {
  return new FakeSenateCwc().start();
}
