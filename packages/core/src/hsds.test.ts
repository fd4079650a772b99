import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  HALTE_HSDS_NAMESPACE,
  type HsdsService,
  toHsdsDirectory,
  toHsdsOrganization,
  toHsdsService,
  uuidV5,
} from "./hsds.js";
import type { Partner } from "./partner.js";
import type { Service } from "./service.js";

const CENTRE_ID = "6f1d9a52-0d4b-4c53-9d1e-4a4b2f0c7a10";
const AURORE_ID = "1b0e3f5c-2a8d-4f6e-9c7b-3d5e7f9a1b2c";
const FTA_ID = "8c2d4e6f-1a3b-4c5d-8e7f-9a0b1c2d3e4f";
const META = { createdAt: "2026-10-01T08:00:00Z", updatedAt: "2026-11-20T09:30:00Z", archivedAt: null };

const aurore: Partner = {
  ...META,
  id: AURORE_ID,
  centreId: CENTRE_ID,
  name: "Aurore",
  roles: ["service_provider", "referral_destination"],
  website: "https://aurore.asso.fr",
  email: "contact@aurore.asso.fr",
  phone: "+33 1 46 34 00 00",
};

const fta: Partner = {
  ...META,
  id: FTA_ID,
  centreId: CENTRE_ID,
  name: "France terre d'asile",
  roles: ["service_provider"],
  description: "Advice on the asylum procedure.",
};

function service(overrides: Partial<Service> = {}): Service {
  return {
    ...META,
    id: "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d",
    centreId: CENTRE_ID,
    organizationId: AURORE_ID,
    name: "Showers",
    description: "Twelve showers, towels and soap provided.",
    category: "hygiene",
    status: "active",
    languages: ["fr", "en", "ar", "prs"],
    schedule: {
      timeZone: "Europe/Paris",
      weekly: [
        { weekday: 2, opensAt: "14:00", closesAt: "19:00" },
        { weekday: 1, opensAt: "08:00", closesAt: "12:00", capacity: 40 },
        { weekday: 7, opensAt: "08:00", closesAt: "24:00" },
      ],
      exceptions: [
        { date: "2026-12-25", kind: "closed", reason: "Christmas" },
        {
          date: "2026-12-24",
          kind: "open",
          slots: [
            { opensAt: "13:00", closesAt: "15:00" },
            { opensAt: "08:00", closesAt: "11:00", capacity: 20 },
          ],
        },
      ],
      dailyCapacity: 120,
    },
    translations: { ar: { name: "الاستحمام" } },
    ...overrides,
  };
}

const legal = service({
  id: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
  organizationId: FTA_ID,
  name: "Asylum advice",
  description: undefined,
  category: "legal",
  languages: [],
  schedule: {
    timeZone: "Europe/Paris",
    weekly: [{ weekday: 3, opensAt: "10:00", closesAt: "13:00" }],
    exceptions: [],
  },
  translations: {},
});

describe("uuidV5", () => {
  it("matches the RFC 9562 test vector", () => {
    expect(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });

  it("hashes names longer than one SHA-1 block and non-ASCII names", () => {
    // Expected values from Python's uuid.uuid5, an independent implementation.
    expect(uuidV5(HALTE_HSDS_NAMESPACE, "x".repeat(200))).toBe("97f56066-947c-5346-87c5-8e0fc972c655");
    expect(uuidV5(HALTE_HSDS_NAMESPACE, "دری")).toBe("99760d4d-7356-54e9-83fb-81b57a85168c");
  });

  it("derives the documented namespace", () => {
    expect(uuidV5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "urn:halte:hsds")).toBe(HALTE_HSDS_NAMESPACE);
  });

  it("refuses a namespace that is not a UUID", () => {
    expect(() => uuidV5("halte", "x")).toThrow(RangeError);
  });
});

describe("toHsdsOrganization", () => {
  it("exports the organisation's own contact details", () => {
    const organization = toHsdsOrganization(aurore);
    expect(organization).toEqual({
      id: AURORE_ID,
      name: "Aurore",
      description: "Aurore: service provider, receives referrals.",
      email: "contact@aurore.asso.fr",
      website: "https://aurore.asso.fr",
      phones: [
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          organization_id: AURORE_ID,
          number: "+33 1 46 34 00 00",
        },
      ],
    });
    expect(toHsdsOrganization(aurore)).toEqual(organization);
  });

  it("keeps a written description and leaves absent contacts out", () => {
    expect(toHsdsOrganization(fta)).toEqual({
      id: FTA_ID,
      name: "France terre d'asile",
      description: "Advice on the asylum procedure.",
      phones: [],
    });
  });
});

describe("toHsdsService", () => {
  const exported = toHsdsService(service(), aurore);

  it("maps the core fields", () => {
    expect(exported).toMatchObject({
      id: service().id,
      organization_id: AURORE_ID,
      name: "Showers",
      description: "Twelve showers, towels and soap provided.",
      status: "active",
      last_modified: "2026-11-20T09:30:00.000Z",
      organization: { id: AURORE_ID, name: "Aurore" },
    });
  });

  it("writes one weekly schedule per slot, in weekday then time order", () => {
    const weekly = exported.schedules.filter((s) => s.valid_from === undefined);
    expect(
      weekly.map(({ byday, opens_at, closes_at, freq, wkst }) => ({
        byday,
        opens_at,
        closes_at,
        freq,
        wkst,
      })),
    ).toEqual([
      { byday: "MO", opens_at: "08:00", closes_at: "12:00", freq: "WEEKLY", wkst: "MO" },
      { byday: "TU", opens_at: "14:00", closes_at: "19:00", freq: "WEEKLY", wkst: "MO" },
      { byday: "SU", opens_at: "08:00", closes_at: "24:00", freq: "WEEKLY", wkst: "MO" },
    ]);
    expect(weekly[0]?.description).toBe("Mondays 08:00–12:00, up to 40");
    expect(weekly[0]?.notes).toBe("Times are local to Europe/Paris. Capacity: 120 per day.");
    for (const schedule of weekly) expect(schedule.service_id).toBe(service().id);
  });

  it("writes exceptions as dated schedules that replace the weekly hours", () => {
    const dated = exported.schedules.filter((s) => s.valid_from !== undefined);
    expect(dated).toEqual([
      expect.objectContaining({
        valid_from: "2026-12-24",
        valid_to: "2026-12-24",
        dtstart: "2026-12-24",
        count: 1,
        freq: "WEEKLY",
        byday: "TH",
        opens_at: "08:00",
        closes_at: "11:00",
        description: "Open on 2026-12-24 08:00–11:00, up to 20",
      }),
      expect.objectContaining({ valid_from: "2026-12-24", opens_at: "13:00", closes_at: "15:00" }),
      {
        id: expect.any(String),
        service_id: service().id,
        valid_from: "2026-12-25",
        valid_to: "2026-12-25",
        dtstart: "2026-12-25",
        description: "Closed on 2026-12-25 (Christmas)",
        notes: "Times are local to Europe/Paris. Replaces the weekly hours on this date.",
      },
    ]);
  });

  it("gives languages and schedules stable, distinct ids derived from the service", () => {
    expect(exported.languages.map(({ code, name }) => ({ code, name }))).toEqual([
      { code: "fr", name: "French" },
      { code: "en", name: "English" },
      { code: "ar", name: "Arabic" },
      { code: "prs", name: "Dari" },
    ]);
    const again = toHsdsService(service(), aurore);
    expect(again).toEqual(exported);
    const ids = [...exported.languages, ...exported.schedules, ...exported.attributes].map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Another service speaking French gets another language id.
    const other = toHsdsService(legal);
    expect(toHsdsService({ ...legal, languages: ["fr"] }).languages[0]?.id).not.toBe(
      exported.languages[0]?.id,
    );
    expect(other.languages).toEqual([]);
  });

  it("carries the category as a taxonomy attribute", () => {
    expect(exported.attributes).toEqual([
      expect.objectContaining({
        link_id: service().id,
        link_entity: "service",
        taxonomy_term: expect.objectContaining({
          code: "hygiene",
          name: "Hygiene",
          taxonomy: "Halte service categories",
        }),
      }),
    ]);
  });

  it("uses a translation when asked, falling back to the original text", () => {
    const arabic = toHsdsService(service(), aurore, { language: "ar" });
    expect(arabic.name).toBe("الاستحمام");
    expect(arabic.description).toBe("Twelve showers, towels and soap provided.");
    expect(toHsdsService(service(), aurore, { language: "ps" }).name).toBe("Showers");
  });

  it("leaves out what the service does not have", () => {
    const exportedLegal = toHsdsService(legal);
    expect("description" in exportedLegal).toBe(false);
    expect("organization" in exportedLegal).toBe(false);
  });
});

describe("toHsdsDirectory", () => {
  const otherCentre = { ...service({ id: "other-centre-service", centreId: "elsewhere" }) };
  const archived = service({ id: "archived-service", archivedAt: "2026-11-01T00:00:00Z" });
  const page = toHsdsDirectory({ id: CENTRE_ID }, [fta, aurore], [service(), otherCentre, archived, legal]);

  it("pages the centre's live services, sorted by name, each with its organisation", () => {
    expect(page).toMatchObject({
      total_items: 2,
      total_pages: 1,
      page_number: 1,
      size: 2,
      first_page: true,
      last_page: true,
      empty: false,
    });
    expect(page.contents.map((s) => [s.name, s.organization?.name])).toEqual([
      ["Asylum advice", "France terre d'asile"],
      ["Showers", "Aurore"],
    ]);
  });

  it("is the same whatever order the records come in", () => {
    expect(
      toHsdsDirectory({ id: CENTRE_ID }, [aurore, fta], [legal, archived, service(), otherCentre]),
    ).toEqual(page);
  });

  it("says when it is empty", () => {
    expect(toHsdsDirectory({ id: "nowhere" }, [aurore], [service()])).toMatchObject({
      empty: true,
      contents: [],
    });
  });
});

// ---- Checked against the HSDS 3.0 compiled schemas, read from the shared standards folder.

type JsonSchema = {
  type?: string;
  enum?: unknown[] | string;
  format?: string;
  required?: string[] | string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
};

const SCHEMA_DIR =
  process.env.HSDS_SCHEMA_DIR ?? new URL("../../../../shared/standards/hsds-3.0/", import.meta.url).pathname;

function loadSchema(name: string): JsonSchema {
  return JSON.parse(readFileSync(`${SCHEMA_DIR.replace(/\/?$/, "/")}${name}`, "utf8")) as JsonSchema;
}

// The compiled schemas write a few lists as Python reprs ("['id', 'name']"); read both forms.
function list(value: unknown[] | string | undefined): unknown[] {
  if (value === undefined) return [];
  return typeof value === "string" ? (JSON.parse(value.replaceAll("'", '"')) as unknown[]) : value;
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  "date-time": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  email: /^[^@\s]+@[^@\s]+$/,
  uri: /^[a-z][a-z0-9+.-]*:/i,
};

function schemaProblems(value: unknown, schema: JsonSchema, path: string): string[] {
  const problems: string[] = [];
  const type = schema.type;
  const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  if (type === "integer" ? !Number.isInteger(value) : type !== undefined && type !== actual) {
    return [`${path}: expected ${type}, got ${actual}`];
  }
  const allowed = list(schema.enum);
  if (allowed.length > 0 && !allowed.includes(value)) problems.push(`${path}: ${String(value)} not in enum`);
  const format = schema.format === undefined ? undefined : FORMATS[schema.format];
  if (format && typeof value === "string" && !format.test(value))
    problems.push(`${path}: not a ${schema.format}`);
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    for (const [i, item] of value.entries()) problems.push(...schemaProblems(item, items, `${path}[${i}]`));
  }
  if (actual === "object" && schema.properties) {
    const record = value as Record<string, unknown>;
    for (const key of list(schema.required) as string[]) {
      if (!(key in record)) problems.push(`${path}.${key}: required`);
    }
    for (const [key, child] of Object.entries(record)) {
      const childSchema = schema.properties[key];
      if (!childSchema) problems.push(`${path}.${key}: not an HSDS field`);
      else problems.push(...schemaProblems(child, childSchema, `${path}.${key}`));
    }
  }
  return problems;
}

// The compiled HSDS schemas are reference data kept beside the repository (not copied into it, per their
// licence note). CI always has them and must run this suite; a checkout without them says so and skips it.
const schemasPresent = existsSync(SCHEMA_DIR);
if (!schemasPresent && process.env.CI) {
  throw new Error(`HSDS 3.0 schemas not found at ${SCHEMA_DIR}; set HSDS_SCHEMA_DIR`);
}
if (!schemasPresent) {
  console.warn(`HSDS 3.0 schemas not found at ${SCHEMA_DIR}: schema validation tests skipped`);
}

describe.skipIf(!schemasPresent)("against the HSDS 3.0 JSON schemas", () => {
  const serviceSchema = loadSchema("service.json");
  const organizationSchema = loadSchema("organization.json");
  const openapi = JSON.parse(readFileSync(`${SCHEMA_DIR.replace(/\/?$/, "/")}openapi.json`, "utf8")) as {
    components: { schemas: { Page: JsonSchema } };
  };

  it("the checker itself catches missing, unknown and malformed fields, nested ones included", () => {
    const bad = {
      id: "x",
      name: "n",
      colour: "red",
      schedules: [{ id: "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d", freq: "DAILY", opens: "08:00" }],
    };
    expect(schemaProblems(bad, serviceSchema, "service")).toEqual([
      "service.status: required",
      "service.id: not a uuid",
      "service.colour: not an HSDS field",
      "service.schedules[0].freq: DAILY not in enum",
      "service.schedules[0].opens: not an HSDS field",
    ]);
  });

  it("every exported service validates against service.json", () => {
    const services: HsdsService[] = [
      toHsdsService(service(), aurore),
      toHsdsService(service(), aurore, { language: "ar" }),
      toHsdsService(legal, fta),
      toHsdsService(legal),
    ];
    for (const exported of services) expect(schemaProblems(exported, serviceSchema, "service")).toEqual([]);
  });

  it("every exported organisation validates against organization.json", () => {
    for (const partner of [aurore, fta]) {
      expect(schemaProblems(toHsdsOrganization(partner), organizationSchema, "organization")).toEqual([]);
    }
  });

  it("the directory is an HSDS Page of valid services", () => {
    const page = toHsdsDirectory({ id: CENTRE_ID }, [aurore, fta], [service(), legal]);
    const { contents, ...pageFields } = page;
    expect(schemaProblems(pageFields, openapi.components.schemas.Page, "page")).toEqual([]);
    for (const [i, s] of contents.entries()) {
      expect(schemaProblems(s, serviceSchema, `contents[${i}]`)).toEqual([]);
    }
  });
});
