import type { Centre } from "./centre.js";
import type { LanguageCode } from "./common.js";
import { derivedId, hsdsId } from "./hsds-id.js";
import type { Partner, PartnerRole } from "./partner.js";
import type { Service, ServiceCategory } from "./service.js";
import { isoWeekday } from "./zoned-time.js";

/**
 * Open Referral HSDS 3.0 export of a centre's services and the organisations that provide them, as the
 * public directory and other referral platforms read it. The shapes below use HSDS's own snake_case field
 * names and only fields the HSDS 3.0 `service.json` / `organization.json` schemas define.
 *
 * Mapping decisions:
 * - Every HSDS id is a name-based UUID (RFC 9562 version 5) under `HALTE_HSDS_NAMESPACE`, because HSDS
 *   3.0 requires `format: uuid` for every `id`, `organization_id`, `service_id` and `link_id`, and Halte ids
 *   need not be UUIDs (the demo's are `demo-service-showers`). A service's id is `hsdsId("service", id)`,
 *   an organisation's `hsdsId("organization", id)`: the same Halte id always gives the same HSDS id, on
 *   every export and in every language, so harvesters can follow a record over time, and anyone holding
 *   the Halte id can compute it. Records HSDS wants that Halte does not store (languages, schedules, phones,
 *   category attributes) get ids derived the same way from their parent's Halte id and their own key.
 * - SHA-1 is implemented here rather than taken from WebCrypto: `crypto.subtle.digest` is asynchronous, and
 *   the export stays a pure, synchronous function that runs unchanged in the Worker, a browser and Node.
 *   It is ~50 lines, checked against RFC 9562's test vector, Python's `uuid.uuid5` and Node's own SHA-1.
 * - One schedule per weekly slot: `freq: "WEEKLY"`, `wkst: "MO"`, `byday` ("MO" … "SU"), `opens_at` and
 *   `closes_at` in `HH:MM`. Times are the centre's wall-clock times, written without a UTC offset and with
 *   the IANA zone in `notes`: HSDS asks for an offset, but one fixed offset is wrong half the year in a zone
 *   with summer time, and a wrong time sends people to a closed door. `timezone` (a fixed offset) is left
 *   out for the same reason. A slot closing at midnight keeps `24:00`.
 * - Exceptions become dated schedules with `valid_from = valid_to = date`, which override the weekly
 *   pattern on that day: an `open` exception gives one single-occurrence rule per slot (`freq: "WEEKLY"`,
 *   `count: 1`, `dtstart` the date); a `closed` exception gives one schedule with no opening times and a
 *   description saying it is closed. HSDS 3.0 dropped 2.0's `holiday_schedule.closed` flag, so the
 *   description carries it.
 * - HSDS 3.0 has no capacity field (it arrived in 3.1); slot capacities go into the schedule description
 *   and the daily capacity into its notes, where a person reading the directory sees them.
 * - The service category becomes an HSDS `attribute` with a `taxonomy_term` from the "Halte service
 *   categories" taxonomy, so consumers can filter by it.
 */

/** The HSDS version the export follows. */
export const HSDS_VERSION = "3.0";

export interface HsdsLanguage {
  readonly id: string;
  readonly service_id: string;
  readonly name?: string;
  readonly code: string;
}

export interface HsdsSchedule {
  readonly id: string;
  readonly service_id: string;
  readonly valid_from?: string;
  readonly valid_to?: string;
  readonly dtstart?: string;
  readonly count?: number;
  readonly wkst?: "MO";
  readonly freq?: "WEEKLY";
  readonly byday?: string;
  readonly opens_at?: string;
  readonly closes_at?: string;
  readonly description: string;
  readonly notes: string;
}

export interface HsdsTaxonomyTerm {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly description: string;
  readonly taxonomy: string;
}

export interface HsdsAttribute {
  readonly id: string;
  readonly link_id: string;
  readonly link_type: string;
  readonly link_entity: "service";
  readonly taxonomy_term: HsdsTaxonomyTerm;
}

export interface HsdsPhone {
  readonly id: string;
  readonly organization_id: string;
  readonly number: string;
}

export interface HsdsOrganization {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly email?: string;
  readonly website?: string;
  readonly phones: readonly HsdsPhone[];
}

export interface HsdsService {
  readonly id: string;
  readonly organization_id: string;
  readonly name: string;
  readonly description?: string;
  readonly status: Service["status"];
  readonly last_modified: string;
  readonly schedules: readonly HsdsSchedule[];
  readonly languages: readonly HsdsLanguage[];
  readonly attributes: readonly HsdsAttribute[];
  readonly organization?: HsdsOrganization;
}

/** A page of fully nested services, the shape of HSDS's `GET /services?full=true` (the `Page` schema). */
export interface HsdsServicePage {
  readonly total_items: number;
  readonly total_pages: number;
  readonly page_number: number;
  readonly size: number;
  readonly first_page: boolean;
  readonly last_page: boolean;
  readonly empty: boolean;
  readonly contents: readonly HsdsService[];
}

export interface HsdsExportOptions {
  /** Write names and descriptions from the service's translation in this language, where it has one. */
  readonly language?: LanguageCode;
}

// ---- Organisations

const ROLE_LABELS: Readonly<Record<PartnerRole, string>> = {
  operator: "operator of the centre",
  service_provider: "service provider",
  referral_destination: "receives referrals",
  funder: "funder",
  public_institution: "public institution",
};

/**
 * An organisation as an HSDS 3.0 `organization`. HSDS requires a description; a partner without one gets
 * a line naming its roles at the centre. The organisation's own email, website and switchboard phone are
 * exported (they are never a person's, see `PartnerInput`).
 *
 * @example
 * toHsdsOrganization(partner);
 * // { id: hsdsId("organization", partner.id), name: "Aurore",
 * //   description: "Aurore: service provider, receives referrals.", phones: [] }
 */
export function toHsdsOrganization(partner: Partner): HsdsOrganization {
  const description =
    partner.description ?? `${partner.name}: ${partner.roles.map((role) => ROLE_LABELS[role]).join(", ")}.`;
  const id = hsdsId("organization", partner.id);
  return {
    id,
    name: partner.name,
    description,
    ...(partner.email !== undefined && { email: partner.email }),
    ...(partner.website !== undefined && { website: partner.website }),
    phones:
      partner.phone === undefined
        ? []
        : [{ id: derivedId("phone", partner.id), organization_id: id, number: partner.phone }],
  };
}

// ---- Services

const BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
const WEEKDAY_NAMES = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"];

const CATEGORY_LABELS: Readonly<Record<ServiceCategory, string>> = {
  hygiene: "Hygiene",
  food: "Food",
  rest: "Rest",
  health: "Health",
  mental_health: "Mental health",
  addiction_harm_reduction: "Addiction and harm reduction",
  legal: "Legal advice",
  administrative: "Administrative help",
  social: "Social support",
  accommodation_orientation: "Accommodation and orientation",
  information: "Information",
  clothing: "Clothing",
  other: "Other",
};

const CATEGORY_TAXONOMY = "Halte service categories";

function byday(weekday: number): string {
  const code = BYDAY[weekday - 1];
  if (code === undefined) throw new RangeError(`${weekday} is not an ISO weekday`);
  return code;
}

function hours(slot: { opensAt: string; closesAt: string; capacity?: number }): string {
  const capacity = slot.capacity === undefined ? "" : `, up to ${slot.capacity}`;
  return `${slot.opensAt}–${slot.closesAt}${capacity}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toHsdsSchedules(service: Service, serviceId: string): HsdsSchedule[] {
  const { timeZone, weekly, exceptions, dailyCapacity } = service.schedule;
  const local = `Times are local to ${timeZone}.`;
  const weeklyNotes = dailyCapacity === undefined ? local : `${local} Capacity: ${dailyCapacity} per day.`;
  const dated = `${local} Replaces the weekly hours on this date.`;
  const weeklySchedules = [...weekly]
    .sort((a, b) => a.weekday - b.weekday || compareText(a.opensAt, b.opensAt))
    .map(
      (slot): HsdsSchedule => ({
        id: derivedId("schedule", service.id, "weekly", String(slot.weekday), slot.opensAt),
        service_id: serviceId,
        wkst: "MO",
        freq: "WEEKLY",
        byday: byday(slot.weekday),
        opens_at: slot.opensAt,
        closes_at: slot.closesAt,
        description: `${WEEKDAY_NAMES[slot.weekday - 1]} ${hours(slot)}`,
        notes: weeklyNotes,
      }),
    );
  const datedSchedules = [...exceptions]
    .sort((a, b) => compareText(a.date, b.date))
    .flatMap((exception): HsdsSchedule[] => {
      const why = exception.reason === undefined ? "" : ` (${exception.reason})`;
      const day = { service_id: serviceId, valid_from: exception.date, valid_to: exception.date };
      if (exception.kind === "closed") {
        return [
          {
            id: derivedId("schedule", service.id, "exception", exception.date, "closed"),
            ...day,
            dtstart: exception.date,
            description: `Closed on ${exception.date}${why}`,
            notes: dated,
          },
        ];
      }
      return [...exception.slots]
        .sort((a, b) => compareText(a.opensAt, b.opensAt))
        .map((slot) => ({
          id: derivedId("schedule", service.id, "exception", exception.date, slot.opensAt),
          ...day,
          dtstart: exception.date,
          count: 1,
          wkst: "MO",
          freq: "WEEKLY",
          byday: byday(isoWeekday(exception.date)),
          opens_at: slot.opensAt,
          closes_at: slot.closesAt,
          description: `Open on ${exception.date} ${hours(slot)}${why}`,
          notes: dated,
        }));
    });
  return [...weeklySchedules, ...datedSchedules];
}

function languageName(code: string, inLanguage: string): string | undefined {
  try {
    const name = new Intl.DisplayNames([inLanguage], { type: "language", fallback: "none" }).of(code);
    return name === undefined || name === code ? undefined : name;
  } catch {
    return undefined;
  }
}

/**
 * A service as a fully nested HSDS 3.0 `service`: its schedules (see the module notes for the mapping),
 * its languages (`{ id, service_id, code, name }`, names from `Intl` in English, ids derived from the service
 * id and the code), its category as a taxonomy attribute, `last_modified` from `updatedAt`, and its
 * organisation nested when given. With `options.language`, the name and description come from that
 * translation where the service has one, and the languages' names are written in that language (where the
 * runtime knows it; English otherwise).
 *
 * @example
 * toHsdsService(showers, aurore);
 * // { id: hsdsId("service", "svc-showers"), organization_id: hsdsId("organization", "aurore"),
 * //   name: "Showers", status: "active",
 * //   schedules: [{ freq: "WEEKLY", byday: "MO", opens_at: "08:00", closes_at: "19:00", … }, …],
 * //   languages: [{ id: "…", service_id: hsdsId("service", "svc-showers"), code: "ar", name: "Arabic" }],
 * //   organization: { … } }
 */
export function toHsdsService(
  service: Service,
  organization?: Partner,
  options: HsdsExportOptions = {},
): HsdsService {
  const translation = options.language === undefined ? undefined : service.translations[options.language];
  // A translation without a description keeps the original one: some text beats none.
  const description = translation?.description ?? service.description;
  const category = service.category;
  const id = hsdsId("service", service.id);
  return {
    id,
    organization_id: hsdsId("organization", service.organizationId),
    name: translation?.name ?? service.name,
    ...(description !== undefined && { description }),
    status: service.status,
    last_modified: new Date(service.updatedAt).toISOString(),
    schedules: toHsdsSchedules(service, id),
    languages: [...new Set(service.languages)].map((code) => {
      const name = languageName(code, options.language ?? "en");
      return {
        id: derivedId("language", service.id, code),
        service_id: id,
        code,
        ...(name !== undefined && { name }),
      };
    }),
    attributes: [
      {
        id: derivedId("attribute", service.id, "category"),
        link_id: id,
        link_type: "category",
        link_entity: "service",
        taxonomy_term: {
          id: derivedId("taxonomy_term", "category", category),
          code: category,
          name: CATEGORY_LABELS[category],
          description: `${CATEGORY_TAXONOMY}: ${CATEGORY_LABELS[category]}`,
          taxonomy: CATEGORY_TAXONOMY,
        },
      },
    ],
    ...(organization !== undefined && { organization: toHsdsOrganization(organization) }),
  };
}

/**
 * A centre's public directory as one HSDS 3.0 document: a single page, shaped as HSDS's `Page` with fully
 * nested services in `contents` (what `GET /services?full=true` answers), each carrying its organisation.
 * Only the centre's services and partners are used, archived ones left out; services are sorted by name
 * then id so the document is the same on every run. Every id is a UUID (`hsdsId`, see the module notes). A service whose organisation is missing from
 * `partners` keeps its `organization_id` without a nested `organization`.
 *
 * @example
 * const page = toHsdsDirectory(centre, partners, services, { language: "ar" });
 * // { total_items: 12, total_pages: 1, page_number: 1, size: 12, first_page: true, last_page: true,
 * //   empty: false, contents: [{ id: "0b9e…" (hsdsId("service", …)), name: "…", schedules: […],
 * //   organization: {…} }, …] }
 */
export function toHsdsDirectory(
  centre: Pick<Centre, "id">,
  partners: readonly Partner[],
  services: readonly Service[],
  options: HsdsExportOptions = {},
): HsdsServicePage {
  const organizations = new Map(
    partners
      .filter((partner) => partner.centreId === centre.id && partner.archivedAt === null)
      .map((partner) => [partner.id, partner]),
  );
  const contents = services
    .filter((service) => service.centreId === centre.id && service.archivedAt === null)
    .map((service) => toHsdsService(service, organizations.get(service.organizationId), options))
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
  return {
    total_items: contents.length,
    total_pages: 1,
    page_number: 1,
    size: contents.length,
    first_page: true,
    last_page: true,
    empty: contents.length === 0,
    contents,
  };
}
