import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type ApiResponse,
  api,
  type Caller,
  callHandler,
  centreInput,
  givenCentre,
  givenPartner,
  partnerToken,
  signedIn,
} from "./helpers.js";
import { deliver, message, statusChanged } from "./webhooks-helpers.js";

/**
 * The OpenAPI document read the way an outside client reads it: every operation it lists is called with
 * realistic requests (a success and errors), and every real answer must be a status the operation declares,
 * with a body that validates (ajv, JSON Schema 2020-12, `$ref`s resolved to `components`) against the schema
 * declared for that status and content type. The successful requests themselves must validate against the
 * declared request schemas, read as ECMA-262 patterns without flags, as a generated client would.
 */

type Schema = Record<string, unknown>;
type Content = Record<string, { schema?: Schema }>;
interface Operation {
  operationId: string;
  security: unknown[];
  requestBody?: { content: Content };
  responses: Record<string, { content?: Content }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let document: Document;
const compiled = new Map<unknown, ValidateFunction>();
let ajv: Ajv2020;
/** Statuses each operation really answered, checked against the document. */
const answered = new Map<string, number[]>();

/** `#/components/schemas/X` becomes a reference into one schema holding them all, which ajv can resolve. */
function withResolvableRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withResolvableRefs);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === "$ref" && typeof child === "string"
        ? child.replace("#/components/schemas/", "components#/$defs/")
        : withResolvableRefs(child),
    ]),
  );
}

function validatorFor(schema: Schema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(withResolvableRefs(schema) as Schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function errorsOf(validate: ValidateFunction, value: unknown): string[] {
  validate(value);
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`,
  );
}

function operationOf(key: string): Operation {
  const [method, template] = key.split(" ") as [string, string];
  const operation = document.paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${key} is not in the document`);
  return operation;
}

/** The real answer must be declared: its status, its content type, and a body valid against the schema. */
function expectConforms(key: string, response: ApiResponse): void {
  const label = `${key} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`;
  const declared = operationOf(key).responses[String(response.status)];
  expect(declared, `${label} — status not declared`).toBeDefined();
  answered.set(key, [...(answered.get(key) ?? []), response.status]);
  if (response.body === null || response.status === 204) return;
  const type = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
  const content = declared?.content ?? {};
  expect(Object.keys(content), `${label} — content type ${type} not declared`).toContain(type);
  const schema = content[type]?.schema;
  if (schema && type.endsWith("json"))
    expect(errorsOf(validatorFor(schema), response.body), label).toEqual([]);
}

interface Call {
  path: string;
  as?: Caller;
  body?: unknown;
  /** Sent as is (not JSON-encoded), e.g. malformed JSON. */
  raw?: string;
  headers?: Record<string, string>;
}

/** Calls an operation and checks the answer against the document. */
async function call(key: string, request: Call): Promise<ApiResponse> {
  const [method] = key.split(" ") as [string];
  const response = await callHandler(method, request.path, {
    ...(request.as ? { as: request.as } : {}),
    ...(request.raw !== undefined
      ? { body: request.raw }
      : request.body !== undefined
        ? { body: JSON.stringify(request.body) }
        : {}),
    ...(request.headers ? { headers: request.headers } : {}),
  });
  expectConforms(key, response);
  return response;
}

/** A request a client following the document would send, and which the server accepts (2xx). */
async function succeeds(key: string, request: Call): Promise<ApiResponse> {
  const schema = operationOf(key).requestBody?.content["application/json"]?.schema;
  if (schema && request.body !== undefined) {
    expect(errorsOf(validatorFor(schema), request.body), `${key}: request refused by the document`).toEqual(
      [],
    );
  }
  const response = await call(key, request);
  expect(response.status, `${key}: ${JSON.stringify(response.body).slice(0, 300)}`).toBeLessThan(300);
  return response;
}

/** A request the server refuses (4xx); the refusal must be declared too. */
async function fails(key: string, request: Call, status?: number): Promise<void> {
  const response = await call(key, request);
  if (status === undefined) expect(response.status, key).toBeGreaterThanOrEqual(400);
  else expect(response.status, `${key}: ${JSON.stringify(response.body).slice(0, 300)}`).toBe(status);
}

// ---- Records and callers, made through the API as the centre would.

const ids: Record<string, string> = {};
let admin: Caller;
let coordinator: Caller;
let token: Caller;
let slug: string;
const schedule = {
  timeZone: "Europe/Paris",
  weekly: [{ weekday: 1, opensAt: "08:00", closesAt: "19:00" }],
  exceptions: [],
};
const consent = {
  givenAt: "2026-01-01T10:00:00Z",
  method: "verbal",
  scopes: ["share_with_partner", "store_contact"],
};
const lessonBody = () => ({
  centreId: ids.centreId,
  type: "challenge",
  theme: "resources",
  title: "Showers saturated on evacuation days",
  statement: { context: "a", situation: "b", result: "c", cause: "d", recommendation: "e" },
  contributors: ["centre_team"],
  periodStart: "2026-01-01",
  periodEnd: "2026-01-31",
});

async function created(path: string, body: unknown, as: Caller = admin): Promise<string> {
  const response = await api("POST", path, { as, body });
  if (response.status !== 201)
    throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}
const newPartner = () =>
  created("/api/partners", { centreId: ids.centreId, name: "Aurore", roles: ["service_provider"] });
const newService = () =>
  created("/api/services", {
    centreId: ids.centreId,
    organizationId: ids.partnerId,
    name: "Douches",
    category: "hygiene",
    schedule,
  });
const newReferral = () =>
  created("/api/referrals", {
    centreId: ids.centreId,
    partnerId: ids.partnerId,
    need: "health",
    send: true,
    consent,
    contact: { name: "A. B.", phone: "+33 6 00 00 00 00" },
  });
const newEvent = () =>
  created("/api/events", { centreId: ids.centreId, kind: "surge", title: "Afflux", startsOn: "2026-01-01" });

beforeAll(async () => {
  document = (await api("GET", "/api/openapi.json")).body as Document;
  // `unicodeRegExp: false`: patterns are read as ECMA-262 regexes without flags, as the document promises.
  ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, unicodeRegExp: false });
  const addFormats = (ajvFormats as unknown as { default?: typeof ajvFormats }).default ?? ajvFormats;
  addFormats(ajv);
  ajv.addVocabulary(["example", "discriminator", "xml", "externalDocs"]);
  ajv.addSchema({ $defs: withResolvableRefs(document.components.schemas) as Schema }, "components");

  slug = centreInput().slug;
  ids.centreId = await givenCentre({ slug });
  ids.partnerId = await givenPartner(ids.centreId);
  admin = await signedIn("admin");
  coordinator = await signedIn("coordinator", { centreId: ids.centreId });
  token = await partnerToken(ids.centreId, ids.partnerId);
  ids.endpointId = await created(`/api/partners/${ids.partnerId}/webhook-endpoints`, {
    url: "https://partner.example/halte",
  });
  ids.serviceId = await newService();
  ids.referralId = await newReferral();
  ids.eventId = await newEvent();
  ids.lessonId = await created("/api/lessons", lessonBody());
});

const unknown = "0190a7a0-0000-7000-8000-000000000000";
let ticketsTaken = 0;
/** A ticket of a queued service, numbered with the coordinator's own letter. */
async function ticketBody() {
  if (!ids.queuedServiceId) {
    ids.queuedServiceId = await created("/api/services", {
      centreId: ids.centreId,
      organizationId: ids.partnerId,
      name: "Douches (tickets)",
      category: "hygiene",
      schedule,
      ticketQueue: true,
    });
  }
  const claim = await api("POST", "/api/tickets/prefix", {
    as: coordinator,
    body: { centreId: ids.centreId },
  });
  ticketsTaken += 1;
  return {
    id: `ticket-${ticketsTaken}-${Date.now()}`,
    centreId: ids.centreId,
    serviceId: ids.queuedServiceId,
    takenAt: new Date().toISOString(),
    prefix: claim.body.prefix as string,
    number: ticketsTaken,
  };
}
const range = () => `centreId=${ids.centreId}&from=2026-11-01&to=2026-11-30`;

/** For each operation: a success and the refusals its handler has, beyond the shell's (checked for all). */
const cases: Record<string, () => Promise<void>> = {
  "GET /api/health": async () => {
    await succeeds("GET /api/health", { path: "/api/health" });
  },
  "POST /api/auth/login": async () => {
    const user = await signedIn("reception", { centreId: ids.centreId, password: "correct horse battery" });
    const key = "POST /api/auth/login";
    const headers = { "cf-connecting-ip": "203.0.113.7" };
    await succeeds(key, {
      path: "/api/auth/login",
      body: { email: user.email, password: "correct horse battery" },
      headers,
    });
    await fails(
      key,
      { path: "/api/auth/login", body: { email: user.email, password: "wrong password" }, headers },
      401,
    );
    await fails(key, { path: "/api/auth/login", body: { email: "nobody", password: "x" }, headers }, 422);
  },
  "GET /api/auth/session": async () => {
    await succeeds("GET /api/auth/session", { path: "/api/auth/session", as: coordinator });
    await fails("GET /api/auth/session", { path: "/api/auth/session" }, 401);
  },
  "POST /api/auth/logout": async () => {
    await succeeds("POST /api/auth/logout", { path: "/api/auth/logout", as: await signedIn("reception") });
    await fails("POST /api/auth/logout", { path: "/api/auth/logout" }, 401);
  },
  "GET /api/centres": async () => {
    await succeeds("GET /api/centres", { path: "/api/centres", as: coordinator });
    await fails("GET /api/centres", { path: "/api/centres?limit=0", as: coordinator }, 422);
  },
  "POST /api/centres": async () => {
    const input = centreInput();
    await succeeds("POST /api/centres", { path: "/api/centres", as: admin, body: input });
    await fails("POST /api/centres", { path: "/api/centres", as: admin, body: input }, 409);
    await fails("POST /api/centres", { path: "/api/centres", as: coordinator, body: centreInput() }, 403);
    // In a database of its own (a binding the pool has), and in one the Worker lacks.
    const apart = { ...centreInput(), d1Binding: "CENTRE_C" };
    await succeeds("POST /api/centres", { path: "/api/centres", as: admin, body: apart });
    const unbound = { ...centreInput(), d1Binding: "CENTRE_NOWHERE" };
    await fails("POST /api/centres", { path: "/api/centres", as: admin, body: unbound }, 422);
  },
  "GET /api/centres/{centreId}": async () => {
    await succeeds("GET /api/centres/{centreId}", { path: `/api/centres/${ids.centreId}`, as: coordinator });
    await fails("GET /api/centres/{centreId}", { path: `/api/centres/${unknown}`, as: admin }, 404);
  },
  "PUT /api/centres/{centreId}": async () => {
    const key = "PUT /api/centres/{centreId}";
    await succeeds(key, { path: `/api/centres/${ids.centreId}`, as: admin, body: centreInput({ slug }) });
    await fails(
      key,
      { path: `/api/centres/${ids.centreId}`, as: admin, body: { ...centreInput({ slug }), name: "" } },
      422,
    );
    await fails(key, { path: `/api/centres/${unknown}`, as: admin, body: centreInput() }, 404);
  },
  "POST /api/centres/{centreId}/archive": async () => {
    const key = "POST /api/centres/{centreId}/archive";
    await succeeds(key, { path: `/api/centres/${await givenCentre()}/archive`, as: admin });
    await fails(key, { path: `/api/centres/${unknown}/archive`, as: admin }, 404);
  },
  "GET /api/partners": async () => {
    await succeeds("GET /api/partners", { path: `/api/partners?centreId=${ids.centreId}`, as: coordinator });
    await fails("GET /api/partners", { path: "/api/partners?role=nobody", as: coordinator }, 422);
  },
  "POST /api/partners": async () => {
    const body = { centreId: ids.centreId, name: "Samu social", roles: ["referral_destination"] };
    await succeeds("POST /api/partners", { path: "/api/partners", as: coordinator, body });
    await fails(
      "POST /api/partners",
      { path: "/api/partners", as: coordinator, body: { ...body, roles: [] } },
      422,
    );
    await fails("POST /api/partners", { path: "/api/partners", as: token, body }, 403);
  },
  "GET /api/partners/{partnerId}": async () => {
    await succeeds("GET /api/partners/{partnerId}", { path: `/api/partners/${ids.partnerId}`, as: token });
    await fails("GET /api/partners/{partnerId}", { path: `/api/partners/${unknown}`, as: admin }, 404);
  },
  "PUT /api/partners/{partnerId}": async () => {
    const key = "PUT /api/partners/{partnerId}";
    const body = { name: "Samu social", roles: ["service_provider", "referral_destination"] };
    await succeeds(key, { path: `/api/partners/${ids.partnerId}`, as: coordinator, body });
    await fails(key, { path: `/api/partners/${unknown}`, as: coordinator, body }, 404);
  },
  "POST /api/partners/{partnerId}/archive": async () => {
    const key = "POST /api/partners/{partnerId}/archive";
    await succeeds(key, { path: `/api/partners/${await newPartner()}/archive`, as: coordinator });
    await fails(key, { path: `/api/partners/${unknown}/archive`, as: coordinator }, 404);
  },
  "POST /api/partners/{partnerId}/centres": async () => {
    const key = "POST /api/partners/{partnerId}/centres";
    const path = `/api/partners/${ids.partnerId}/centres`;
    await succeeds(key, { path, as: admin, body: { centreId: await givenCentre() } });
    await fails(key, { path, as: admin, body: { centreId: unknown } }, 422);
    await fails(key, { path, as: admin, body: { centreId: ids.centreId, extra: 1 } }, 422);
    await fails(
      key,
      { path: `/api/partners/${unknown}/centres`, as: admin, body: { centreId: ids.centreId } },
      404,
    );
    await fails(key, { path, as: coordinator, body: { centreId: await givenCentre() } }, 403);
    const archived = await newPartner();
    await api("POST", `/api/partners/${archived}/archive`, { as: admin });
    await fails(
      key,
      { path: `/api/partners/${archived}/centres`, as: admin, body: { centreId: ids.centreId } },
      409,
    );
    await fails(key, { path, as: token, body: { centreId: ids.centreId } }, 403);
  },
  "DELETE /api/partners/{partnerId}/centres/{centreId}": async () => {
    const key = "DELETE /api/partners/{partnerId}/centres/{centreId}";
    const other = await givenCentre();
    await api("POST", `/api/partners/${ids.partnerId}/centres`, { as: admin, body: { centreId: other } });
    await succeeds(key, { path: `/api/partners/${ids.partnerId}/centres/${other}`, as: admin });
    await fails(key, { path: `/api/partners/${ids.partnerId}/centres/${other}`, as: admin }, 404);
    await fails(key, { path: `/api/partners/${ids.partnerId}/centres/${ids.centreId}`, as: admin }, 409);
    await fails(key, { path: `/api/partners/${ids.partnerId}/centres/${other}`, as: coordinator }, 403);
    await fails(key, { path: `/api/partners/${ids.partnerId}/centres/${other}`, as: token }, 403);
  },
  "GET /api/services": async () => {
    await succeeds("GET /api/services", { path: `/api/services?centreId=${ids.centreId}`, as: coordinator });
    await fails("GET /api/services", { path: "/api/services?category=nothing", as: coordinator }, 422);
  },
  "POST /api/services": async () => {
    const body = {
      centreId: ids.centreId,
      organizationId: ids.partnerId,
      name: "Café",
      category: "food",
      schedule,
    };
    await succeeds("POST /api/services", { path: "/api/services", as: coordinator, body });
    await fails(
      "POST /api/services",
      { path: "/api/services", as: coordinator, body: { ...body, category: "x" } },
      422,
    );
  },
  "GET /api/services/{serviceId}": async () => {
    await succeeds("GET /api/services/{serviceId}", {
      path: `/api/services/${ids.serviceId}`,
      as: coordinator,
    });
    await fails("GET /api/services/{serviceId}", { path: `/api/services/${unknown}`, as: coordinator }, 404);
  },
  "PUT /api/services/{serviceId}": async () => {
    const key = "PUT /api/services/{serviceId}";
    const body = {
      organizationId: ids.partnerId,
      name: "Douches",
      category: "hygiene",
      schedule,
      languages: ["fr", "ar"],
    };
    await succeeds(key, { path: `/api/services/${ids.serviceId}`, as: coordinator, body });
    await fails(key, { path: `/api/services/${unknown}`, as: coordinator, body }, 404);
  },
  "POST /api/services/{serviceId}/archive": async () => {
    const key = "POST /api/services/{serviceId}/archive";
    await succeeds(key, { path: `/api/services/${await newService()}/archive`, as: coordinator });
    await fails(key, { path: `/api/services/${unknown}/archive`, as: coordinator }, 404);
  },
  "GET /api/services/{serviceId}/capacity": async () => {
    const key = "GET /api/services/{serviceId}/capacity";
    await succeeds(key, { path: `/api/services/${ids.serviceId}/capacity?date=2026-11-23`, as: coordinator });
    await fails(key, { path: `/api/services/${ids.serviceId}/capacity?date=tomorrow`, as: coordinator }, 422);
  },
  "GET /api/public/centres": async () => {
    await succeeds("GET /api/public/centres", { path: "/api/public/centres" });
  },
  "GET /api/public/centres/{slug}/services": async () => {
    const key = "GET /api/public/centres/{slug}/services";
    await succeeds(key, { path: `/api/public/centres/${slug}/services` });
    await fails(key, { path: "/api/public/centres/no-such-centre/services" }, 404);
  },
  "GET /api/public/centres/{slug}/hsds.json": async () => {
    const key = "GET /api/public/centres/{slug}/hsds.json";
    await succeeds(key, { path: `/api/public/centres/${slug}/hsds.json?language=ar` });
    await fails(key, { path: "/api/public/centres/no-such-centre/hsds.json" }, 404);
    await fails(key, { path: `/api/public/centres/${slug}/hsds.json?language=Arabic` }, 422);
  },
  "POST /api/visits": async () => {
    const body = { centreId: ids.centreId, arrivedAt: new Date().toISOString(), visitorCode: "HJ-00042" };
    await succeeds("POST /api/visits", { path: "/api/visits", as: coordinator, body });
    await fails(
      "POST /api/visits",
      { path: "/api/visits", as: coordinator, body: { ...body, visitorCode: "--" } },
      422,
    );
    await fails("POST /api/visits", { path: "/api/visits", as: await signedIn("observer"), body }, 403);
  },
  "POST /api/visits/batch": async () => {
    const visit = {
      centreId: ids.centreId,
      arrivedAt: new Date().toISOString(),
      idempotencyKey: `k-${Date.now()}`,
    };
    await succeeds("POST /api/visits/batch", {
      path: "/api/visits/batch",
      as: coordinator,
      body: { visits: [visit] },
    });
    await fails(
      "POST /api/visits/batch",
      { path: "/api/visits/batch", as: coordinator, body: { visits: [{}] } },
      422,
    );
  },
  "POST /api/visits/{visitId}/void": async () => {
    const key = "POST /api/visits/{visitId}/void";
    const body = { centreId: ids.centreId, arrivedAt: new Date().toISOString() };
    const recorded = await succeeds("POST /api/visits", { path: "/api/visits", as: coordinator, body });
    const path = `/api/visits/${(recorded.body as { id: string }).id}/void`;
    await fails(key, { path, as: admin }, 403);
    await succeeds(key, { path, as: coordinator });
    await fails(key, { path: `/api/visits/${unknown}/void`, as: coordinator }, 404);
  },
  "POST /api/service-uses/{serviceUseId}/void": async () => {
    const key = "POST /api/service-uses/{serviceUseId}/void";
    const body = { centreId: ids.centreId, serviceId: ids.serviceId, usedAt: new Date().toISOString() };
    const recorded = await succeeds("POST /api/service-uses", {
      path: "/api/service-uses",
      as: coordinator,
      body,
    });
    const path = `/api/service-uses/${(recorded.body as { id: string }).id}/void`;
    await fails(key, { path, as: admin }, 403);
    await succeeds(key, { path, as: coordinator });
    await fails(key, { path: `/api/service-uses/${unknown}/void`, as: coordinator }, 404);
  },
  "POST /api/tickets/prefix": async () => {
    const key = "POST /api/tickets/prefix";
    await succeeds(key, { path: "/api/tickets/prefix", as: coordinator, body: { centreId: ids.centreId } });
    await fails(key, { path: "/api/tickets/prefix", as: coordinator, body: { centreId: "x y" } }, 422);
    await fails(key, { path: "/api/tickets/prefix", as: token, body: { centreId: ids.centreId } }, 403);
  },
  "POST /api/tickets": async () => {
    const key = "POST /api/tickets";
    const body = await ticketBody();
    await succeeds(key, { path: "/api/tickets", as: coordinator, body });
    await succeeds(key, { path: "/api/tickets", as: coordinator, body });
    await fails(
      key,
      { path: "/api/tickets", as: coordinator, body: { ...body, id: `t-${Date.now()}x` } },
      409,
    );
    await fails(key, { path: "/api/tickets", as: coordinator, body: { ...body, number: 0 } }, 422);
  },
  "GET /api/tickets": async () => {
    await succeeds("GET /api/tickets", { path: `/api/tickets?centreId=${ids.centreId}`, as: coordinator });
    await fails("GET /api/tickets", { path: "/api/tickets?centreId=x y", as: coordinator }, 422);
  },
  "POST /api/tickets/{ticketId}/call": async () => {
    const key = "POST /api/tickets/{ticketId}/call";
    const ticket = await ticketBody();
    await succeeds("POST /api/tickets", { path: "/api/tickets", as: coordinator, body: ticket });
    const body = { calledAt: new Date().toISOString() };
    await succeeds(key, { path: `/api/tickets/${ticket.id}/call`, as: coordinator, body });
    await fails(key, { path: `/api/tickets/${unknown}/call`, as: coordinator, body }, 404);
    await fails(key, { path: `/api/tickets/${ticket.id}/call`, as: coordinator, body: {} }, 422);
    const cancel = { cancelledAt: new Date().toISOString(), reason: "left" };
    await fails(
      "POST /api/tickets/{ticketId}/cancel",
      { path: `/api/tickets/${ticket.id}/cancel`, as: coordinator, body: cancel },
      409,
    );
  },
  "POST /api/tickets/{ticketId}/cancel": async () => {
    const key = "POST /api/tickets/{ticketId}/cancel";
    const ticket = await ticketBody();
    await succeeds("POST /api/tickets", { path: "/api/tickets", as: coordinator, body: ticket });
    const body = { cancelledAt: new Date().toISOString(), reason: "no_show" };
    await succeeds(key, { path: `/api/tickets/${ticket.id}/cancel`, as: coordinator, body });
    await fails(key, { path: `/api/tickets/${unknown}/cancel`, as: coordinator, body }, 404);
    await fails(
      key,
      { path: `/api/tickets/${ticket.id}/cancel`, as: coordinator, body: { ...body, reason: "x" } },
      422,
    );
    await fails(
      "POST /api/tickets/{ticketId}/call",
      { path: `/api/tickets/${ticket.id}/call`, as: coordinator, body: { calledAt: body.cancelledAt } },
      409,
    );
  },
  "POST /api/door-devices": async () => {
    const key = "POST /api/door-devices";
    await succeeds(key, {
      path: "/api/door-devices",
      as: coordinator,
      body: { centreId: ids.centreId, name: "Gate" },
    });
    await fails(
      key,
      { path: "/api/door-devices", as: coordinator, body: { centreId: ids.centreId, name: "" } },
      422,
    );
    await fails(
      key,
      { path: "/api/door-devices", as: token, body: { centreId: ids.centreId, name: "Gate" } },
      403,
    );
  },
  "GET /api/door-devices": async () => {
    await succeeds("GET /api/door-devices", {
      path: `/api/door-devices?centreId=${ids.centreId}`,
      as: coordinator,
    });
    await fails("GET /api/door-devices", { path: "/api/door-devices?centreId=x y", as: coordinator }, 422);
  },
  "POST /api/door-devices/{deviceId}/revoke": async () => {
    const key = "POST /api/door-devices/{deviceId}/revoke";
    const made = await succeeds("POST /api/door-devices", {
      path: "/api/door-devices",
      as: coordinator,
      body: { centreId: ids.centreId, name: "To revoke" },
    });
    const id = (made.body as { device: { id: string } }).device.id;
    await succeeds(key, { path: `/api/door-devices/${id}/revoke`, as: coordinator });
    await fails(key, { path: `/api/door-devices/${unknown}/revoke`, as: coordinator }, 404);
  },
  "GET /api/visits": async () => {
    await succeeds("GET /api/visits", { path: `/api/visits?centreId=${ids.centreId}`, as: coordinator });
    await fails("GET /api/visits", { path: "/api/visits?period=someday", as: coordinator }, 422);
  },
  "GET /api/visits/today": async () => {
    await succeeds("GET /api/visits/today", {
      path: `/api/visits/today?centreId=${ids.centreId}`,
      as: coordinator,
    });
    await fails("GET /api/visits/today", { path: `/api/visits/today?centreId=${unknown}`, as: admin }, 404);
  },
  "POST /api/service-uses": async () => {
    const body = { centreId: ids.centreId, serviceId: ids.serviceId, usedAt: new Date().toISOString() };
    await succeeds("POST /api/service-uses", { path: "/api/service-uses", as: coordinator, body });
    await fails(
      "POST /api/service-uses",
      { path: "/api/service-uses", as: coordinator, body: { ...body, quantity: 0 } },
      422,
    );
  },
  "GET /api/service-uses": async () => {
    await succeeds("GET /api/service-uses", {
      path: `/api/service-uses?centreId=${ids.centreId}`,
      as: coordinator,
    });
    await fails("GET /api/service-uses", { path: "/api/service-uses?limit=-1", as: coordinator }, 422);
  },
  "POST /api/referrals": async () => {
    const body = { centreId: ids.centreId, partnerId: ids.partnerId, need: "legal" };
    await succeeds("POST /api/referrals", { path: "/api/referrals", as: coordinator, body });
    await fails(
      "POST /api/referrals",
      { path: "/api/referrals", as: coordinator, body: { ...body, need: "x" } },
      422,
    );
    await fails("POST /api/referrals", { path: "/api/referrals", as: token, body }, 403);
  },
  "GET /api/referrals": async () => {
    await succeeds("GET /api/referrals", { path: `/api/referrals?centreId=${ids.centreId}`, as: token });
    await fails("GET /api/referrals", { path: "/api/referrals?status=lost", as: coordinator }, 422);
    await succeeds("GET /api/referrals", {
      path: `/api/referrals?centreId=${ids.centreId}&from=2026-11-01&to=2026-11-30&limit=1`,
      as: coordinator,
    });
    await fails(
      "GET /api/referrals",
      { path: "/api/referrals?from=2026-11-30&to=2026-11-01", as: coordinator },
      422,
    );
  },
  "GET /api/referrals/{referralId}": async () => {
    await succeeds("GET /api/referrals/{referralId}", {
      path: `/api/referrals/${ids.referralId}`,
      as: token,
    });
    await fails(
      "GET /api/referrals/{referralId}",
      { path: `/api/referrals/${unknown}`, as: coordinator },
      404,
    );
  },
  "POST /api/referrals/{referralId}/status": async () => {
    const key = "POST /api/referrals/{referralId}/status";
    const referralId = await newReferral();
    await succeeds(key, {
      path: `/api/referrals/${referralId}/status`,
      as: token,
      body: { status: "accepted" },
    });
    await fails(
      key,
      { path: `/api/referrals/${referralId}/status`, as: token, body: { status: "requested" } },
      409,
    );
    await fails(
      key,
      { path: `/api/referrals/${referralId}/status`, as: token, body: { status: "lost" } },
      422,
    );
  },
  "GET /api/referrals/{referralId}/history": async () => {
    const key = "GET /api/referrals/{referralId}/history";
    await succeeds(key, { path: `/api/referrals/${ids.referralId}/history`, as: coordinator });
    await fails(key, { path: `/api/referrals/${unknown}/history`, as: coordinator }, 404);
  },
  "POST /api/referrals/{referralId}/acknowledge": async () => {
    const key = "POST /api/referrals/{referralId}/acknowledge";
    await succeeds(key, { path: `/api/referrals/${ids.referralId}/acknowledge`, as: token });
    await fails(key, { path: `/api/referrals/${unknown}/acknowledge`, as: token }, 404);
  },
  "POST /api/referrals/{referralId}/consent/withdraw": async () => {
    const key = "POST /api/referrals/{referralId}/consent/withdraw";
    const referralId = await newReferral();
    await succeeds(key, {
      path: `/api/referrals/${referralId}/consent/withdraw`,
      as: coordinator,
      body: { method: "verbal" },
    });
    await fails(
      key,
      { path: `/api/referrals/${unknown}/consent/withdraw`, as: coordinator, body: { method: "verbal" } },
      404,
    );
  },
  "POST /api/referrals/{referralId}/erase": async () => {
    const key = "POST /api/referrals/{referralId}/erase";
    await succeeds(key, { path: `/api/referrals/${await newReferral()}/erase`, as: coordinator });
    await fails(key, { path: `/api/referrals/${unknown}/erase`, as: coordinator }, 404);
  },
  "GET /api/events": async () => {
    await succeeds("GET /api/events", { path: `/api/events?centreId=${ids.centreId}`, as: coordinator });
    await fails("GET /api/events", { path: "/api/events?from=yesterday", as: coordinator }, 422);
  },
  "POST /api/events": async () => {
    const body = { centreId: ids.centreId, kind: "weather", title: "Grand froid", startsOn: "2026-01-05" };
    await succeeds("POST /api/events", { path: "/api/events", as: coordinator, body });
    await fails(
      "POST /api/events",
      { path: "/api/events", as: coordinator, body: { ...body, kind: "x" } },
      422,
    );
  },
  "GET /api/events/{eventId}": async () => {
    await succeeds("GET /api/events/{eventId}", { path: `/api/events/${ids.eventId}`, as: coordinator });
    await fails("GET /api/events/{eventId}", { path: `/api/events/${unknown}`, as: coordinator }, 404);
  },
  "PUT /api/events/{eventId}": async () => {
    const body = { centreId: ids.centreId, kind: "surge", title: "Afflux du lundi", startsOn: "2026-01-01" };
    await succeeds("PUT /api/events/{eventId}", {
      path: `/api/events/${ids.eventId}`,
      as: coordinator,
      body,
    });
    await fails("PUT /api/events/{eventId}", { path: `/api/events/${unknown}`, as: coordinator, body }, 404);
  },
  "POST /api/events/{eventId}/archive": async () => {
    const key = "POST /api/events/{eventId}/archive";
    await succeeds(key, { path: `/api/events/${await newEvent()}/archive`, as: coordinator });
    await fails(key, { path: `/api/events/${unknown}/archive`, as: coordinator }, 404);
  },
  "GET /api/lessons": async () => {
    await succeeds("GET /api/lessons", { path: `/api/lessons?centreId=${ids.centreId}`, as: coordinator });
    await fails("GET /api/lessons", { path: "/api/lessons?theme=weather", as: coordinator }, 422);
  },
  "GET /api/lessons/guide": async () => {
    await succeeds("GET /api/lessons/guide", {
      path: `/api/lessons/guide?centreId=${ids.centreId}`,
      as: coordinator,
    });
    await fails("GET /api/lessons/guide", { path: "/api/lessons/guide", as: coordinator }, 422);
  },
  "POST /api/lessons": async () => {
    await succeeds("POST /api/lessons", { path: "/api/lessons", as: coordinator, body: lessonBody() });
    await fails(
      "POST /api/lessons",
      { path: "/api/lessons", as: coordinator, body: { ...lessonBody(), title: "" } },
      422,
    );
  },
  "GET /api/lessons/{lessonId}": async () => {
    await succeeds("GET /api/lessons/{lessonId}", { path: `/api/lessons/${ids.lessonId}`, as: coordinator });
    await fails("GET /api/lessons/{lessonId}", { path: `/api/lessons/${unknown}`, as: coordinator }, 404);
  },
  "PUT /api/lessons/{lessonId}": async () => {
    const key = "PUT /api/lessons/{lessonId}";
    await succeeds(key, { path: `/api/lessons/${ids.lessonId}`, as: coordinator, body: lessonBody() });
    await fails(key, { path: `/api/lessons/${unknown}`, as: coordinator, body: lessonBody() }, 404);
  },
  "POST /api/lessons/{lessonId}/status": async () => {
    const key = "POST /api/lessons/{lessonId}/status";
    const lessonId = await created("/api/lessons", lessonBody());
    await succeeds(key, {
      path: `/api/lessons/${lessonId}/status`,
      as: coordinator,
      body: { status: "reviewed" },
    });
    await fails(
      key,
      { path: `/api/lessons/${lessonId}/status`, as: coordinator, body: { status: "reviewed" } },
      409,
    );
  },
  "POST /api/lessons/{lessonId}/archive": async () => {
    const key = "POST /api/lessons/{lessonId}/archive";
    await succeeds(key, {
      path: `/api/lessons/${await created("/api/lessons", lessonBody())}/archive`,
      as: coordinator,
    });
    await fails(key, { path: `/api/lessons/${unknown}/archive`, as: coordinator }, 404);
  },
  "GET /api/lessons/{lessonId}/history": async () => {
    const key = "GET /api/lessons/{lessonId}/history";
    await succeeds(key, { path: `/api/lessons/${ids.lessonId}/history`, as: coordinator });
    await fails(key, { path: `/api/lessons/${unknown}/history`, as: coordinator }, 404);
  },
  "POST /api/public/centres/{slug}/feedback": async () => {
    const key = "POST /api/public/centres/{slug}/feedback";
    const body = { text: "Plus de douches le matin", language: "fr", fillSeconds: 20 };
    const headers = { "cf-connecting-ip": "203.0.113.99" };
    await succeeds(key, { path: `/api/public/centres/${slug}/feedback`, body, headers });
    await fails(key, { path: "/api/public/centres/nowhere/feedback", body, headers }, 404);
    await fails(
      key,
      { path: `/api/public/centres/${slug}/feedback`, body: { ...body, text: "" }, headers },
      422,
    );
    for (let n = 0; n < 4; n += 1) {
      await api("POST", `/api/public/centres/${slug}/feedback`, { body, headers });
    }
    await fails(key, { path: `/api/public/centres/${slug}/feedback`, body, headers }, 429);
  },
  "GET /api/feedback": async () => {
    await succeeds("GET /api/feedback", { path: `/api/feedback?centreId=${ids.centreId}`, as: coordinator });
    await fails("GET /api/feedback", { path: "/api/feedback?status=maybe", as: coordinator }, 422);
  },
  "GET /api/feedback/summary": async () => {
    const key = "GET /api/feedback/summary";
    await succeeds(key, { path: `/api/feedback/summary?centreId=${ids.centreId}`, as: coordinator });
    await fails(key, { path: `/api/feedback/summary?centreId=${unknown}`, as: admin }, 404);
  },
  "POST /api/feedback/{feedbackId}/moderation": async () => {
    const key = "POST /api/feedback/{feedbackId}/moderation";
    await api("POST", `/api/public/centres/${slug}/feedback`, {
      body: { text: "Merci pour le café", language: "fr", fillSeconds: 20 },
      headers: { "cf-connecting-ip": "203.0.113.98" },
    });
    const page = await api("GET", `/api/feedback?centreId=${ids.centreId}&status=pending`, {
      as: coordinator,
    });
    const feedbackId = page.body.items[0].id;
    const body = { status: "approved" };
    await succeeds(key, { path: `/api/feedback/${feedbackId}/moderation`, as: coordinator, body });
    await fails(key, { path: `/api/feedback/${feedbackId}/moderation`, as: coordinator, body }, 409);
    await fails(key, { path: `/api/feedback/${unknown}/moderation`, as: coordinator, body }, 404);
  },
  "GET /api/users": async () => {
    await succeeds("GET /api/users", { path: "/api/users", as: admin });
    await fails("GET /api/users", { path: "/api/users", as: coordinator }, 403);
  },
  "POST /api/users": async () => {
    const body = {
      name: "Amina",
      role: "reception",
      centreId: ids.centreId,
      email: `amina-${Date.now()}@halte.test`,
      password: "a long enough password",
    };
    await succeeds("POST /api/users", { path: "/api/users", as: admin, body });
    await fails("POST /api/users", { path: "/api/users", as: admin, body }, 409);
  },
  "GET /api/users/{userId}": async () => {
    await succeeds("GET /api/users/{userId}", { path: `/api/users/${coordinator.userId}`, as: admin });
    await fails("GET /api/users/{userId}", { path: `/api/users/${unknown}`, as: admin }, 404);
  },
  "PUT /api/users/{userId}": async () => {
    const target = await signedIn("reception", { centreId: ids.centreId });
    const body = { name: "Amina K.", role: "reception", centreId: ids.centreId };
    await succeeds("PUT /api/users/{userId}", { path: `/api/users/${target.userId}`, as: admin, body });
    await fails("PUT /api/users/{userId}", { path: `/api/users/${unknown}`, as: admin, body }, 404);
  },
  "POST /api/users/{userId}/disable": async () => {
    const key = "POST /api/users/{userId}/disable";
    const target = await signedIn("reception", { centreId: ids.centreId });
    await succeeds(key, { path: `/api/users/${target.userId}/disable`, as: admin });
    await fails(key, { path: `/api/users/${target.userId}/disable`, as: admin }, 409);
  },
  "POST /api/users/{userId}/enable": async () => {
    const key = "POST /api/users/{userId}/enable";
    const target = await signedIn("reception", { centreId: ids.centreId });
    await fails(key, { path: `/api/users/${target.userId}/enable`, as: admin }, 409);
    await api("POST", `/api/users/${target.userId}/disable`, { as: admin });
    await succeeds(key, { path: `/api/users/${target.userId}/enable`, as: admin });
    await fails(key, { path: `/api/users/${unknown}/enable`, as: admin }, 404);
  },
  "POST /api/users/{userId}/password": async () => {
    const key = "POST /api/users/{userId}/password";
    const target = await signedIn("reception", { centreId: ids.centreId });
    await succeeds(key, {
      path: `/api/users/${target.userId}/password`,
      as: admin,
      body: { password: "another long password" },
    });
    await fails(
      key,
      { path: `/api/users/${target.userId}/password`, as: admin, body: { password: "short" } },
      422,
    );
  },
  "POST /api/partners/{partnerId}/tokens": async () => {
    const key = "POST /api/partners/{partnerId}/tokens";
    await succeeds(key, {
      path: `/api/partners/${ids.partnerId}/tokens`,
      as: coordinator,
      body: { name: "SI-SIAO" },
    });
    await fails(key, { path: `/api/partners/${unknown}/tokens`, as: coordinator, body: { name: "x" } }, 404);
  },
  "GET /api/partners/{partnerId}/tokens": async () => {
    const key = "GET /api/partners/{partnerId}/tokens";
    await succeeds(key, { path: `/api/partners/${ids.partnerId}/tokens`, as: coordinator });
    await fails(key, { path: `/api/partners/${unknown}/tokens`, as: coordinator }, 404);
  },
  "POST /api/tokens/{tokenId}/revoke": async () => {
    const key = "POST /api/tokens/{tokenId}/revoke";
    const tokenId = await created(`/api/partners/${ids.partnerId}/tokens`, { name: "old" });
    await succeeds(key, { path: `/api/tokens/${tokenId}/revoke`, as: coordinator });
    await fails(key, { path: `/api/tokens/${unknown}/revoke`, as: coordinator }, 404);
  },
  "GET /api/audit": async () => {
    await succeeds("GET /api/audit", { path: `/api/audit?centreId=${ids.centreId}`, as: admin });
    await fails("GET /api/audit", { path: "/api/audit", as: token }, 403);
  },
  "GET /api/reports/visits": async () => {
    await succeeds("GET /api/reports/visits", {
      path: `/api/reports/visits?${range()}&period=month`,
      as: coordinator,
    });
    await fails(
      "GET /api/reports/visits",
      { path: `/api/reports/visits?centreId=${ids.centreId}`, as: coordinator },
      422,
    );
  },
  "GET /api/reports/arrivals": async () => {
    await succeeds("GET /api/reports/arrivals", {
      path: `/api/reports/arrivals?${range()}`,
      as: coordinator,
    });
    await fails("GET /api/reports/arrivals", { path: `/api/reports/arrivals?${range()}`, as: token }, 403);
  },
  "GET /api/reports/services": async () => {
    await succeeds("GET /api/reports/services", {
      path: `/api/reports/services?${range()}&period=month`,
      as: coordinator,
    });
    await fails(
      "GET /api/reports/services",
      { path: `/api/reports/services?centreId=${unknown}&from=2026-11-01&to=2026-11-30`, as: admin },
      404,
    );
  },
  "GET /api/reports/referrals": async () => {
    await succeeds("GET /api/reports/referrals", {
      path: `/api/reports/referrals?${range()}`,
      as: coordinator,
    });
    await fails(
      "GET /api/reports/referrals",
      { path: `/api/reports/referrals?${range()}&need=x`, as: coordinator },
      422,
    );
  },
  "GET /api/jobs/runs": async () => {
    await succeeds("GET /api/jobs/runs", { path: "/api/jobs/runs", as: admin });
    await fails("GET /api/jobs/runs", { path: "/api/jobs/runs", as: coordinator }, 403);
  },
  "POST /api/jobs/retention-purge": async () => {
    const key = "POST /api/jobs/retention-purge";
    await succeeds(key, { path: "/api/jobs/retention-purge", as: admin, body: { dryRun: true } });
    await fails(key, { path: "/api/jobs/retention-purge", as: admin, body: { dryRun: "yes" } }, 422);
  },
  "POST /api/jobs/rollup": async () => {
    await succeeds("POST /api/jobs/rollup", { path: "/api/jobs/rollup", as: admin });
    await fails("POST /api/jobs/rollup", { path: "/api/jobs/rollup", as: coordinator }, 403);
  },
  "POST /api/jobs/rebuild": async () => {
    const key = "POST /api/jobs/rebuild";
    await succeeds(key, {
      path: "/api/jobs/rebuild",
      as: admin,
      body: { centreId: ids.centreId, month: "2026-11" },
    });
    await fails(
      key,
      { path: "/api/jobs/rebuild", as: admin, body: { centreId: unknown, month: "2026-11" } },
      404,
    );
  },
  "POST /api/webhooks/partners/{partnerId}": async () => {
    const key = "POST /api/webhooks/partners/{partnerId}";
    const secret = await api("POST", `/api/partners/${ids.partnerId}/webhook-secrets`, {
      as: admin,
      body: {},
    });
    const referralId = await newReferral();
    const sent = message(statusChanged(referralId, "accepted", new Date()));
    const partnerId = ids.partnerId as string;
    const ok = await deliver(partnerId, secret.body.secret, sent);
    expectConforms(key, ok);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const forged = await deliver(
      partnerId,
      secret.body.secret,
      message(statusChanged(referralId, "completed", new Date())),
      {
        signature: "v1,Zm9yZ2Vk",
      },
    );
    expectConforms(key, forged);
    expect(forged.status).toBe(401);
  },
  "POST /api/partners/{partnerId}/webhook-secrets": async () => {
    const key = "POST /api/partners/{partnerId}/webhook-secrets";
    await succeeds(key, {
      path: `/api/partners/${ids.partnerId}/webhook-secrets`,
      as: admin,
      body: { overlapMinutes: 60 },
    });
    await fails(key, { path: `/api/partners/${unknown}/webhook-secrets`, as: admin, body: {} }, 404);
  },
  "GET /api/partners/{partnerId}/webhook-secrets": async () => {
    const key = "GET /api/partners/{partnerId}/webhook-secrets";
    await succeeds(key, { path: `/api/partners/${ids.partnerId}/webhook-secrets`, as: admin });
    await fails(key, { path: `/api/partners/${ids.partnerId}/webhook-secrets`, as: token }, 403);
  },
  "POST /api/webhook-secrets/{secretId}/revoke": async () => {
    const key = "POST /api/webhook-secrets/{secretId}/revoke";
    const secretId = await created(`/api/partners/${ids.partnerId}/webhook-secrets`, {});
    await succeeds(key, { path: `/api/webhook-secrets/${secretId}/revoke`, as: admin });
    await fails(key, { path: `/api/webhook-secrets/${secretId}/revoke`, as: admin }, 409);
  },
  "POST /api/partners/{partnerId}/webhook-endpoints": async () => {
    const key = "POST /api/partners/{partnerId}/webhook-endpoints";
    await succeeds(key, {
      path: `/api/partners/${ids.partnerId}/webhook-endpoints`,
      as: admin,
      body: { url: "https://partner.example/events" },
    });
    await fails(
      key,
      {
        path: `/api/partners/${ids.partnerId}/webhook-endpoints`,
        as: admin,
        body: { url: "http://127.0.0.1/x" },
      },
      422,
    );
  },
  "GET /api/partners/{partnerId}/webhook-endpoints": async () => {
    const key = "GET /api/partners/{partnerId}/webhook-endpoints";
    await succeeds(key, { path: `/api/partners/${ids.partnerId}/webhook-endpoints`, as: admin });
    await fails(key, { path: `/api/partners/${unknown}/webhook-endpoints`, as: admin }, 404);
  },
  "GET /api/webhook-endpoints/{endpointId}/deliveries": async () => {
    const key = "GET /api/webhook-endpoints/{endpointId}/deliveries";
    await succeeds(key, { path: `/api/webhook-endpoints/${ids.endpointId}/deliveries`, as: admin });
    await fails(key, { path: `/api/webhook-endpoints/${unknown}/deliveries`, as: admin }, 404);
  },
  "POST /api/webhook-deliveries/{deliveryId}/resend": async () => {
    const key = "POST /api/webhook-deliveries/{deliveryId}/resend";
    const deliveries = await api("GET", `/api/webhook-endpoints/${ids.endpointId}/deliveries`, { as: admin });
    const deliveryId = deliveries.body.items?.[0]?.id as string;
    expect(deliveryId).toBeDefined();
    await succeeds(key, { path: `/api/webhook-deliveries/${deliveryId}/resend`, as: admin });
    await fails(key, { path: `/api/webhook-deliveries/${unknown}/resend`, as: admin }, 404);
  },
  "POST /api/webhook-endpoints/{endpointId}/disable": async () => {
    const key = "POST /api/webhook-endpoints/{endpointId}/disable";
    const endpointId = await created(`/api/partners/${ids.partnerId}/webhook-endpoints`, {
      url: "https://partner.example/old",
    });
    await succeeds(key, { path: `/api/webhook-endpoints/${endpointId}/disable`, as: admin });
    await fails(key, { path: `/api/webhook-endpoints/${unknown}/disable`, as: admin }, 404);
  },
};

const bodyMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Refusals the app shell gives on any operation; each one must be declared by every operation it reaches. */
async function shellRefusals(key: string): Promise<void> {
  const [method, template] = key.split(" ") as [string, string];
  const path = template.replace(/\{\w+\}/g, (name) =>
    name === "{slug}" ? slug : (ids[name.slice(1, -1)] ?? unknown),
  );
  // A dead or malformed token is refused everywhere, public routes included.
  await fails(key, { path, headers: { authorization: "Bearer halte_pt_revoked" } }, 401);
  await fails(key, { path, headers: { authorization: "Basic YWxpY2U6c2VjcmV0" } }, 401);
  if (operationOf(key).security.length > 0 && !template.startsWith("/api/webhooks/")) {
    await fails(key, { path }, 401);
  }
  if (bodyMethods.has(method) && !template.startsWith("/api/webhooks/")) {
    await fails(key, { path, as: admin, raw: "centreId=x", headers: { "content-type": "text/plain" } }, 415);
    await fails(key, { path, as: admin, raw: "{}", headers: { "x-csrf-token": "wrong" } }, 403);
    if (operationOf(key).requestBody) await fails(key, { path, as: admin, raw: '{"centreId": ' }, 400);
  }
}

describe("the OpenAPI document, checked against real answers", () => {
  it("lists every operation once, each with an operationId, its security and its refusals", () => {
    const operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${template}`,
        operation,
      })),
    );
    expect(operations.map((o) => o.key).sort()).toEqual(Object.keys(cases).sort());
    const operationIds = operations.map((o) => o.operation.operationId);
    expect(new Set(operationIds).size).toBe(operations.length);
    for (const { key, operation } of operations) {
      expect(operation.operationId, key).toMatch(/^[a-z][A-Za-z]+$/);
      expect(Array.isArray(operation.security), key).toBe(true);
    }
  });

  it("publishes only patterns an ECMA-262 engine accepts without flags", () => {
    const patterns = new Set<string>();
    JSON.stringify(document, (key, value) => {
      if (key === "pattern" && typeof value === "string") patterns.add(value);
      return value;
    });
    expect(patterns.size).toBeGreaterThan(0);
    for (const pattern of patterns) expect(() => new RegExp(pattern), pattern).not.toThrow();
  });

  for (const key of Object.keys(cases)) {
    it(`${key}: a success and its refusals answer as declared`, async () => {
      await (cases[key] as () => Promise<void>)();
      await shellRefusals(key);
    });
  }

  it("saw a declared success and a declared refusal from every operation", () => {
    for (const key of Object.keys(cases)) {
      const statuses = answered.get(key) ?? [];
      expect(
        statuses.some((s) => s < 300),
        `${key}: ${statuses}`,
      ).toBe(true);
      expect(
        statuses.some((s) => s >= 400),
        `${key}: ${statuses}`,
      ).toBe(true);
    }
    expect(answered.size).toBe(Object.keys(cases).length);
  });
});
