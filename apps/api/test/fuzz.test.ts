// Fuzz: thousands of generated malformed requests over every operation of the OpenAPI document. Bodies
// start from values shaped by each route's own request schema (the zod schemas, as published) and are then
// broken: wrong types, huge strings, deep nesting, unicode edge cases, missing and extra fields, bad content
// types, oversized and unreadable bodies, hostile path and query values. Whatever arrives, the Worker must
// answer below 500, and every error must be a valid RFC 9457 problem details body.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ProblemDetails } from "../src/problem.js";
import {
  type ApiResponse,
  api,
  type Caller,
  callHandler,
  givenCentre,
  givenPartner,
  partnerToken,
  signedIn,
} from "./helpers.js";

const RUNS = Number((env as { FUZZ_RUNS?: string }).FUZZ_RUNS ?? "2000");

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  maxItems?: number;
};
type Parameter = { name: string; in: "path" | "query" | "header"; schema?: JsonSchema };
type Operation = {
  method: string;
  template: string;
  parameters: Parameter[];
  body?: JsonSchema;
};

let components: Record<string, JsonSchema> = {};
let operations: Operation[] = [];
const ids: Record<string, string> = {};

function resolve(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split("/").pop() as string;
  return components[name] ?? {};
}

/** A value shaped like the schema (the starting point the mutations then break). */
function shaped(raw: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(raw);
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices && choices.length > 0) return fc.oneof(...choices.map((choice) => shaped(choice, depth + 1)));
  if (schema.allOf?.[0]) return shaped(schema.allOf[0], depth + 1);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => shaped({ ...schema, type }, depth + 1)));
  switch (types[0]) {
    case "object": {
      const properties = schema.properties ?? {};
      const shape = Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [key, shaped(value, depth + 1)]),
      );
      return fc.record(shape, { requiredKeys: (schema.required ?? []).filter((key) => key in shape) });
    }
    case "array":
      return fc.array(shaped(schema.items ?? {}, depth + 1), {
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "string":
      if (schema.format === "date-time") {
        return fc
          .date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true })
          .map((d) => d.toISOString());
      }
      if (schema.format === "date") return fc.constantFrom("2026-11-28", "2026-03-29", "2026-13-45");
      return fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...Object.values(ids)));
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const unicodeEdges = [
  "\uD800", // a lone surrogate
  "\u0000nul",
  "\u202Egnp.exe", // right-to-left override
  "\uFEFFbom",
  "e\u0301\u0301\u0301",
  "𝕳𝖆𝖑𝖙𝖊 🏳️‍🌈",
  "ا لحالة",
  "'; DROP TABLE visits; --",
  "%00%2e%2e%2f",
];
const wrongTypes: unknown[] = [0, -1, 1e308, true, null, [], {}, "", "x", [[[]]], { $gt: "" }];

function deepNesting(levels: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { nested: value };
  return value;
}

/** The ways a well-shaped body is broken before it is sent. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("wrong-type" as const), value: fc.constantFrom(...wrongTypes) }),
  fc.record({ kind: fc.constant("huge-string" as const), length: fc.integer({ min: 10_000, max: 200_000 }) }),
  fc.record({ kind: fc.constant("deep" as const), levels: fc.integer({ min: 50, max: 5000 }) }),
  fc.record({ kind: fc.constant("unicode" as const), value: fc.constantFrom(...unicodeEdges) }),
  fc.record({ kind: fc.constant("missing" as const) }),
  fc.record({ kind: fc.constant("extra" as const), key: fc.string({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant("as-is" as const) }),
  fc.record({ kind: fc.constant("root" as const), value: fc.jsonValue({ maxDepth: 3 }) }),
);

/** How the (possibly broken) body travels: as JSON, or in ways a careless client sends it. */
const transport = fc.constantFrom(
  "json",
  "json",
  "json",
  "json",
  "text/plain",
  "no-content-type",
  "form",
  "truncated",
  "oversized",
  "charset-json",
);

function applyMutation(body: unknown, m: MutationValue, pick: number): unknown {
  const target = body !== null && typeof body === "object" && !Array.isArray(body) ? { ...body } : {};
  const keys = Object.keys(target);
  const key = keys.length > 0 ? (keys[pick % keys.length] as string) : "field";
  const record = target as Record<string, unknown>;
  switch (m.kind) {
    case "wrong-type":
      record[key] = m.value;
      return record;
    case "huge-string":
      record[key] = "é".repeat(m.length);
      return record;
    case "deep":
      record[key] = deepNesting(m.levels);
      return record;
    case "unicode":
      record[key] = m.value;
      return record;
    case "missing":
      delete record[key];
      return record;
    case "extra":
      record[m.key] = "unexpected";
      return record;
    case "root":
      return m.value;
    case "as-is":
      return body;
  }
}
type MutationValue = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function encode(body: unknown, how: string): { text: string; headers: Record<string, string> } {
  const json = JSON.stringify(body) ?? "null";
  switch (how) {
    case "text/plain":
      return { text: json, headers: { "content-type": "text/plain" } };
    case "no-content-type":
      return { text: json, headers: { "content-type": "" } };
    case "form":
      return { text: "a=1&b=2", headers: { "content-type": "application/x-www-form-urlencoded" } };
    case "truncated":
      return { text: json.slice(0, Math.max(1, json.length - 2)), headers: {} };
    case "oversized":
      return { text: JSON.stringify({ padding: "x".repeat(1_100_000) }), headers: {} };
    case "charset-json":
      return { text: json, headers: { "content-type": "application/json; charset=utf-8" } };
    default:
      return { text: json, headers: {} };
  }
}

const hostileSegment = fc.oneof(
  fc.constantFrom("..", "%2e%2e", "%00", "x".repeat(5000), "💥", "null", "-1", "1e9", " "),
  fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
);

const callerKind = fc.constantFrom(
  "admin",
  "coordinator",
  "reception",
  "observer",
  "partner-token",
  "anonymous",
);

/**
 * Callers are reused across cases; one that the fuzz signs out, disables or re-passwords is replaced after
 * its first 401, so later cases still reach the handlers.
 */
const callers = new Map<string, Caller>();
async function reusableCaller(kind: string): Promise<Caller | undefined> {
  if (kind === "anonymous") return undefined;
  let caller = callers.get(kind);
  if (!caller) {
    caller = await newCaller(kind);
    callers.set(kind, caller as Caller);
  }
  return caller;
}

async function newCaller(kind: string): Promise<Caller | undefined> {
  const centreId = ids.centreId as string;
  const partnerId = ids.partnerId as string;
  switch (kind) {
    case "anonymous":
      return undefined;
    case "admin":
      return signedIn("admin");
    case "partner-token":
      return partnerToken(centreId, partnerId);
    default:
      return signedIn(kind as "coordinator", { centreId });
  }
}

beforeAll(async () => {
  const document = await api("GET", "/api/openapi.json");
  components = document.body.components?.schemas ?? {};
  operations = Object.entries(document.body.paths as Record<string, Record<string, Record<string, unknown>>>)
    .flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => {
        const content = (operation.requestBody as { content?: Record<string, { schema?: JsonSchema }> })
          ?.content;
        return {
          method: method.toUpperCase(),
          template,
          parameters: (operation.parameters as Parameter[] | undefined) ?? [],
          body: content?.["application/json"]?.schema,
        };
      }),
    )
    .filter((operation) => operation.template.startsWith("/api/"));
  const centreId = await givenCentre();
  const partnerId = await givenPartner(centreId);
  Object.assign(ids, { centreId, partnerId });
});

/** What every answer must satisfy: below 500, and a problem details body whenever it is an error. */
async function expectSafeAnswer(response: ApiResponse, label: string) {
  expect(response.status, label).toBeLessThan(500);
  if (response.status < 400) return;
  expect(response.headers.get("content-type"), label).toContain("application/problem+json");
  const problem = ProblemDetails.safeParse(response.body);
  expect(problem.success, `${label}: ${JSON.stringify(response.body).slice(0, 300)}`).toBe(true);
  expect(problem.data?.status, label).toBe(response.status);
}

describe("fuzz: malformed requests over every operation", () => {
  it("knows the operations it fuzzes", () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  it(`answers ${RUNS} generated malformed requests below 500, every error a problem details body`, async () => {
    const statuses = new Map<number, number>();
    const request = fc
      .record({
        index: fc.nat(),
        caller: callerKind,
        segment: hostileSegment,
        realIds: fc.boolean(),
        query: fc.dictionary(
          fc.string({ maxLength: 10 }),
          fc.oneof(fc.string({ maxLength: 30 }), hostileSegment),
          {
            maxKeys: 3,
          },
        ),
        mutation,
        transport,
        pick: fc.nat(),
        seedBody: fc.jsonValue({ maxDepth: 2 }),
      })
      .chain((r) => {
        const operation = operations[r.index % operations.length] as Operation;
        const body = operation.body ? shaped(operation.body) : fc.constant(r.seedBody);
        return body.map((shapedBody) => ({ ...r, operation, shapedBody }));
      });

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const { operation } = r;
        const path = operation.template.replace(/\{(\w+)\}/g, (_, name: string) =>
          r.realIds && ids[name] ? (ids[name] as string) : r.segment,
        );
        const query = new URLSearchParams(r.query);
        for (const parameter of operation.parameters) {
          if (parameter.in === "query" && r.pick % 3 === 0) query.set(parameter.name, String(r.segment));
        }
        const search = query.toString();
        const caller = await reusableCaller(r.caller);
        const hasBody = operation.method !== "GET";
        const encoded = hasBody
          ? encode(applyMutation(r.shapedBody, r.mutation, r.pick), r.transport)
          : undefined;
        const label = `${operation.method} ${path.slice(0, 120)} as ${r.caller} (${r.mutation.kind}, ${r.transport})`;
        const response = await callHandler(operation.method, `${path}${search ? `?${search}` : ""}`, {
          ...(caller ? { as: caller } : {}),
          ...(encoded ? { body: encoded.text, headers: encoded.headers } : {}),
        });
        if (response.status === 401 && caller) callers.delete(r.caller);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        await expectSafeAnswer(response, label);
      }),
      { numRuns: RUNS, seed: Number((env as { FUZZ_SEED?: string }).FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    // The suite must reach handlers, not only the front door: some answers are refusals of the input.
    expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(415) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(413) ?? 0).toBeGreaterThan(0);
    console.log(`fuzz: ${RUNS} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, 600_000);
});
