// A fake of the House's Communicating with Congress service for tests, answering as the real one
// does: POST /v2/message delivers (200), POST /v2/validate only checks, GET /v2/offices lists the
// participating office codes; a refusal is 400 with <Errors><Error>…</Error></Errors>. The same
// server plays the House's test service under /uat (configure CWC_HOUSE_TEST_URL as <url>/uat),
// with its own office list.
// The wording of its refusals is ours: the House's exact texts are not public.
import type { IncomingMessage } from "node:http";
import {
  CWC_SCHEMA,
  FakeCwcService,
  SchemaChecker,
  forcedHeaders,
  type FakeAnswer,
  type ForcedAnswer,
} from "./cwc-service";

const houseSchema = new SchemaChecker(CWC_SCHEMA);

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function refusal(status: number, errors: string[]): FakeAnswer {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Errors>${errors.map((e) => `<Error>${xmlEscape(e)}</Error>`).join("")}</Errors>`;
  return { status, body, contentType: "application/xml" };
}

function forcedAnswer(forced: ForcedAnswer): FakeAnswer {
  if (forced.status === 400) return refusal(400, forced.errors ?? ["The message was refused"]);
  if (forced.status === 401 || forced.status === 403) return refusal(forced.status, ["Invalid API key"]);
  return {
    status: forced.status,
    body: `Forced HTTP ${forced.status}`,
    contentType: "text/plain",
    headers: forcedHeaders(forced),
  };
}

export class FakeHouseCwc extends FakeCwcService {
  /** Participating office codes the fake lists and accepts. */
  offices = ["HVT00", "HMN05", "HAK00", "HDC00", "HPR00", "HAQ00", "HCA12"];
  /** The test service's list. */
  testOffices = ["HVT00", "HMN05"];

  constructor() {
    super(houseSchema);
  }

  protected async route(request: IncomingMessage, url: URL, body: string): Promise<FakeAnswer> {
    const testService = url.pathname.startsWith("/uat/");
    const path = testService ? url.pathname.slice("/uat".length) : url.pathname;
    const offices = testService ? this.testOffices : this.offices;
    if (request.method === "GET" && path === "/v2/offices") this.officeListRequests++;
    if (!this.keyIsRight(url)) return refusal(401, ["Invalid API key"]);
    if (request.method === "GET" && path === "/v2/offices") {
      return { status: 200, body: JSON.stringify(offices), contentType: "application/json" };
    }
    const delivers = path === "/v2/message";
    if (request.method !== "POST" || (!delivers && path !== "/v2/validate")) {
      return { status: 404, body: "Not Found", contentType: "text/plain" };
    }
    const message = await this.receive(request, url, body);
    const answer = this.answer(message.schemaErrors, message.memberOffice, message.contentType, offices);
    message.status = answer.status;
    if (delivers && answer.status === 200 && message.deliveryId) {
      this.deliveryIds.set(message.deliveryId, (this.deliveryIds.get(message.deliveryId) ?? 0) + 1);
    }
    return answer;
  }

  private answer(
    schemaErrors: string[],
    memberOffice: string | null,
    contentType: string | null,
    offices: string[],
  ): FakeAnswer {
    const forced = this.takeForced();
    if (forced) return forcedAnswer(forced);
    if (!contentType?.startsWith("application/xml")) return refusal(400, ["Content-Type must be application/xml"]);
    if (schemaErrors.length > 0) return refusal(400, schemaErrors);
    if (!memberOffice || !offices.includes(memberOffice)) {
      return refusal(400, [`MemberOffice ${memberOffice ?? ""} is not an active CWC office`]);
    }
    return { status: 200, body: "", contentType: "text/plain" };
  }
}

export async function startFakeHouseCwc(): Promise<FakeHouseCwc> {
  return new FakeHouseCwc().start();
}
