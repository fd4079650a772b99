import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LanguageCode } from "./common.js";
import { type HsdsService, toHsdsDirectory, toHsdsOrganization, toHsdsService } from "./hsds.js";
import { HALTE_HSDS_NAMESPACE, hsdsId, uuidV5 } from "./hsds-id.js";
import { type Partner, PartnerInput } from "./partner.js";
import { type Service, ServiceInput } from "./service.js";

// Halte ids need not be UUIDs (the demo's are `demo-service-showers`): the export must make them ones.
const CENTRE_ID = "centre-halte";
const AURORE_ID = "partner-aurore";
const FTA_ID = "partner-ftda";
const SHOWERS_ID = "service-showers";
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
    id: SHOWERS_ID,
    centreId: CENTRE_ID,
    organizationId: AURORE_ID,
    name: "Showers",
    description: "Twelve showers, towels and soap provided.",
    category: "hygiene",
    status: "active",
    ticketQueue: true,
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
  id: "service-asylum-advice",
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

  it("agrees with Node's own SHA-1 on any name", () => {
    const namespaceBytes = Buffer.from(HALTE_HSDS_NAMESPACE.replaceAll("-", ""), "hex");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (name) => {
        const digest = createHash("sha1").update(namespaceBytes).update(name, "utf8").digest();
        digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
        digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
        const hex = digest.subarray(0, 16).toString("hex");
        const expected = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
        expect(uuidV5(HALTE_HSDS_NAMESPACE, name)).toBe(expected);
      }),
    );
  });
});

describe("hsdsId", () => {
  it("maps a Halte id to the same version 5 UUID on every call, one per entity", () => {
    expect(hsdsId("service", "demo-service-showers")).toBe("90d59385-4667-5b03-8fd2-601ead78a414");
    expect(hsdsId("service", "demo-service-showers")).toBe(
      uuidV5(HALTE_HSDS_NAMESPACE, "service\u001fdemo-service-showers"),
    );
    expect(hsdsId("organization", "x")).not.toBe(hsdsId("service", "x"));
  });

  it("leaves no Halte id in the export", () => {
    const text = JSON.stringify(toHsdsDirectory({ id: CENTRE_ID }, [aurore, fta], [service(), legal]));
    for (const id of [AURORE_ID, FTA_ID, SHOWERS_ID, legal.id]) expect(text).not.toContain(`"${id}"`);
  });
});

describe("toHsdsOrganization", () => {
  it("exports the organisation's own contact details", () => {
    const organization = toHsdsOrganization(aurore);
    expect(organization).toEqual({
      id: hsdsId("organization", AURORE_ID),
      name: "Aurore",
      description: "Aurore: service provider, receives referrals.",
      email: "contact@aurore.asso.fr",
      website: "https://aurore.asso.fr",
      phones: [
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          organization_id: hsdsId("organization", AURORE_ID),
          number: "+33 1 46 34 00 00",
        },
      ],
    });
    expect(toHsdsOrganization(aurore)).toEqual(organization);
  });

  it("keeps a written description and leaves absent contacts out", () => {
    expect(toHsdsOrganization(fta)).toEqual({
      id: hsdsId("organization", FTA_ID),
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
      id: hsdsId("service", SHOWERS_ID),
      organization_id: hsdsId("organization", AURORE_ID),
      name: "Showers",
      description: "Twelve showers, towels and soap provided.",
      status: "active",
      last_modified: "2026-11-20T09:30:00.000Z",
      organization: { id: hsdsId("organization", AURORE_ID), name: "Aurore" },
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
    for (const schedule of weekly) expect(schedule.service_id).toBe(hsdsId("service", SHOWERS_ID));
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
        service_id: hsdsId("service", SHOWERS_ID),
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
        link_id: hsdsId("service", SHOWERS_ID),
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
    // The languages' names are written in the document's language too.
    expect(arabic.languages.find((language) => language.code === "fr")?.name).toBe("الفرنسية");
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

// ---- Validated with ajv (JSON Schema 2020-12, ajv-formats) against the official HSDS 3.0 compiled schemas,
// read from the shared standards folder beside the repository.

type JsonSchema = { [keyword: string]: unknown; properties?: Record<string, JsonSchema>; items?: JsonSchema };

const SCHEMA_DIR = (
  process.env.HSDS_SCHEMA_DIR ?? new URL("../../../../shared/standards/hsds-3.0/", import.meta.url).pathname
).replace(/\/?$/, "/");

function loadSchema(name: string): JsonSchema {
  return JSON.parse(readFileSync(`${SCHEMA_DIR}${name}`, "utf8")) as JsonSchema;
}

/**
 * HSDS's schemas leave `additionalProperties` open; the export promises to use only fields HSDS defines, so
 * every object schema that lists its properties is closed here, nested ones included. Nothing else changes.
 */
function closed(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, child]) => [key, closed(child)]),
    );
    out.additionalProperties = false;
  }
  if (schema.items) out.items = closed(schema.items);
  return out;
}

function hsdsValidators() {
  // Strict mode stays on: the compiled schemas' own annotations (Frictionless Data Package metadata) are
  // declared as a vocabulary, so any other unknown keyword still fails loudly.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats.default(ajv);
  ajv.addVocabulary([
    "name",
    "path",
    "datapackage_metadata",
    "datapackage_type",
    "constraints",
    "example",
    "core",
    "tabular_required",
  ]);
  const serviceSchema = closed(loadSchema("service.json"));
  const openapi = loadSchema("openapi.json") as { components: { schemas: { Page: JsonSchema } } };
  const page = openapi.components.schemas.Page;
  ajv.addSchema(serviceSchema, "service.json");
  return {
    service: ajv.getSchema("service.json") as ValidateFunction,
    organization: ajv.compile(closed(loadSchema("organization.json"))),
    page: ajv.compile({
      ...page,
      properties: { ...page.properties, contents: { type: "array", items: { $ref: "service.json" } } },
      required: [...Object.keys(page.properties ?? {}), "contents"],
      additionalProperties: false,
    }),
  };
}

/** The ajv errors of one value, as short readable lines (empty when it validates). */
function errorsOf(validate: ValidateFunction, value: unknown): string[] {
  validate(value);
  return (validate.errors ?? []).map(
    (e) =>
      `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? `: ${String(e.params.additionalProperty)}` : ""}`,
  );
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

describe.skipIf(!schemasPresent)("against the HSDS 3.0 JSON schemas (ajv)", () => {
  const validate = schemasPresent ? hsdsValidators() : undefined;
  const v = () => validate as NonNullable<typeof validate>;

  it("the validator catches missing, unknown and malformed fields, nested ones included", () => {
    const bad = {
      id: "x",
      name: "n",
      colour: "red",
      schedules: [{ id: "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d", freq: "DAILY", opens: "08:00" }],
    };
    expect(errorsOf(v().service, bad).sort()).toEqual(
      [
        "/ must have required property 'status'",
        "/ must NOT have additional properties: colour",
        '/id must match format "uuid"',
        "/schedules/0 must NOT have additional properties: opens",
        "/schedules/0/freq must be equal to one of the allowed values",
      ].sort(),
    );
  });

  it("every exported service validates against service.json", () => {
    const services: HsdsService[] = [
      toHsdsService(service(), aurore),
      toHsdsService(service(), aurore, { language: "ar" }),
      toHsdsService(legal, fta),
      toHsdsService(legal),
    ];
    for (const exported of services) expect(errorsOf(v().service, exported)).toEqual([]);
  });

  it("every exported organisation validates against organization.json", () => {
    for (const partner of [aurore, fta]) {
      expect(errorsOf(v().organization, toHsdsOrganization(partner))).toEqual([]);
    }
  });

  it("the directory is an HSDS Page of valid services", () => {
    const page = toHsdsDirectory({ id: CENTRE_ID }, [aurore, fta], [service(), legal]);
    expect(errorsOf(v().page, page)).toEqual([]);
    expect(errorsOf(v().page, toHsdsDirectory({ id: "nowhere" }, [], []))).toEqual([]);
  });

  it("the demo centre's directory validates in every language it publishes", async () => {
    // The demo seed (apps/api/scripts/seed-data.mjs) is what `npm run demo` serves at
    // /api/public/centres/halte-de-jour/hsds.json; its ids are Halte-style (`demo-service-showers`).
    // Imported by URL: it is plain data in an .mjs file of the API package, read here as a fixture.
    const seedUrl = new URL("../../../apps/api/scripts/seed-data.mjs", import.meta.url).href;
    const seed = (await import(seedUrl)) as {
      CENTRE_ID: string;
      centre: { languages: LanguageCode[] };
      partners: { id: string }[];
      services: { id: string }[];
    };
    const at = {
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      archivedAt: null,
    };
    const partners: Partner[] = seed.partners.map(({ id, ...p }) => ({
      id,
      centreId: seed.CENTRE_ID,
      ...PartnerInput.parse(p),
      ...at,
    }));
    // The demo's texts in the directory languages come from their own seed module, merged as the seed does.
    const translationsUrl = new URL("../../../apps/api/scripts/seed-translations.mjs", import.meta.url).href;
    const { serviceTranslations } = (await import(translationsUrl)) as {
      serviceTranslations: Record<string, Record<string, object>>;
    };
    const services: Service[] = seed.services.map(({ id, ...s }) => {
      const input = ServiceInput.parse(s);
      return {
        id,
        centreId: seed.CENTRE_ID,
        ...input,
        translations: {
          ...input.translations,
          ...ServiceInput.shape.translations.parse(serviceTranslations[id]),
        },
        ...at,
      };
    });
    expect(services.every((service) => Object.keys(service.translations).length === 5)).toBe(true);
    const languages: (LanguageCode | undefined)[] = [undefined, ...seed.centre.languages];
    for (const language of languages) {
      const page = toHsdsDirectory({ id: seed.CENTRE_ID }, partners, services, language ? { language } : {});
      expect(page.total_items).toBe(services.length);
      expect(errorsOf(v().page, page), `language ${language ?? "(none)"}`).toEqual([]);
    }
  });
});
