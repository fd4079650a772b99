// The service form as the editor holds it (text as typed) and its conversions from and to the API's shapes.
import { ServiceCategory, ServiceStatus } from "@halte/core";
import type { Schemas } from "../../api.js";

/** A service as the API returns it: the stored record plus whether it is open now. */
export type ServiceRecord = Schemas["Service"];
export type ServiceInput = Schemas["ServiceInput"];

export const CATEGORIES = ServiceCategory.options;
export const STATUSES = ServiceStatus.options;
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export interface SlotForm {
  weekday: string;
  opensAt: string;
  closesAt: string;
  capacity: string;
}
export interface ExceptionForm {
  date: string;
  kind: "closed" | "open";
  reason: string;
  slots: SlotForm[];
}
/** One language's texts as typed; a language whose three texts are empty is not sent. */
export interface TranslationForm {
  name: string;
  description: string;
  location: string;
}

/**
 * The languages the editor offers translations for: the public directory's, after French (the services'
 * own texts). Dari is stored under `prs`, the code the demo centre and the door use for it.
 */
export const TRANSLATION_LANGUAGES = ["en", "ar", "prs", "ps", "ti"] as const;

export interface ServiceForm {
  id: string | null;
  organizationId: string;
  name: string;
  description: string;
  category: ServiceInput["category"];
  status: ServiceInput["status"];
  languages: string;
  location: string;
  ticketQueue: boolean;
  timeZone: string;
  weekly: SlotForm[];
  exceptions: ExceptionForm[];
  dailyCapacity: string;
  translations: Record<string, TranslationForm>;
}

export const emptySlot = (weekday = "1"): SlotForm => ({
  weekday,
  opensAt: "09:00",
  closesAt: "12:00",
  capacity: "",
});

export function formOf(service: ServiceRecord): ServiceForm {
  const slot = (s: { opensAt: string; closesAt: string; capacity?: number | undefined }, weekday = "") => ({
    weekday,
    opensAt: s.opensAt,
    closesAt: s.closesAt,
    capacity: s.capacity === undefined ? "" : String(s.capacity),
  });
  return {
    id: service.id,
    organizationId: service.organizationId,
    name: service.name,
    description: service.description ?? "",
    category: service.category,
    status: service.status,
    languages: service.languages.join(", "),
    location: service.location ?? "",
    ticketQueue: service.ticketQueue,
    timeZone: service.schedule.timeZone,
    weekly: service.schedule.weekly.map((s) => slot(s, String(s.weekday))),
    exceptions: service.schedule.exceptions.map((e) => ({
      date: e.date,
      kind: e.kind,
      reason: e.reason ?? "",
      slots: e.kind === "open" ? e.slots.map((s) => slot(s)) : [],
    })),
    dailyCapacity: service.schedule.dailyCapacity === undefined ? "" : String(service.schedule.dailyCapacity),
    translations: Object.fromEntries(
      Object.entries(service.translations).map(([code, text]) => [
        code,
        { name: text.name, description: text.description ?? "", location: text.location ?? "" },
      ]),
    ),
  };
}

/** The translations to send: trimmed, empty texts left out, a language with no text at all dropped. */
function translationsBody(translations: ServiceForm["translations"]): ServiceInput["translations"] {
  const body: ServiceInput["translations"] = {};
  for (const [code, text] of Object.entries(translations)) {
    const name = text.name.trim();
    const description = text.description.trim();
    const location = text.location.trim();
    if (!name && !description && !location) continue;
    // A name left empty beside other texts is sent empty, so the API's error sits next to that field.
    body[code] = { name, ...(description && { description }), ...(location && { location }) };
  }
  return body;
}

/**
 * The number typed, or the text itself when it is not one: the API's own field error then names the field
 * (the document says a number; the cast is that deliberate exception).
 */
function numberOrText(value: string): number {
  const number = Number(value.trim());
  return (value.trim() !== "" && Number.isFinite(number) ? number : value) as number;
}

function slotBody(slot: SlotForm) {
  return {
    opensAt: slot.opensAt.trim(),
    closesAt: slot.closesAt.trim(),
    ...(slot.capacity.trim() === "" ? {} : { capacity: numberOrText(slot.capacity) }),
  };
}

/** The body of `POST /api/services` (with `centreId`) or `PUT /api/services/{id}`. */
export function bodyOf(form: ServiceForm): ServiceInput {
  const optional = (key: string, value: string) => (value.trim() === "" ? {} : { [key]: value.trim() });
  return {
    organizationId: form.organizationId,
    name: form.name,
    ...optional("description", form.description),
    category: form.category,
    status: form.status,
    languages: form.languages
      .split(/[\s,]+/)
      .map((code) => code.trim())
      .filter(Boolean),
    ...optional("location", form.location),
    ticketQueue: form.ticketQueue,
    schedule: {
      timeZone: form.timeZone,
      weekly: form.weekly.map((slot) => ({ weekday: numberOrText(slot.weekday), ...slotBody(slot) })),
      exceptions: form.exceptions.map((exception) =>
        exception.kind === "open"
          ? {
              date: exception.date,
              kind: "open",
              ...optional("reason", exception.reason),
              slots: exception.slots.map(slotBody),
            }
          : { date: exception.date, kind: "closed", ...optional("reason", exception.reason) },
      ),
      ...(form.dailyCapacity.trim() === "" ? {} : { dailyCapacity: numberOrText(form.dailyCapacity) }),
    },
    translations: translationsBody(form.translations),
  };
}

/** The form of a new service, its schedule in the centre's zone. */
export function newServiceForm(timeZone: string): ServiceForm {
  return {
    id: null,
    organizationId: "",
    name: "",
    description: "",
    category: "other",
    status: "active",
    languages: "fr",
    location: "",
    ticketQueue: false,
    timeZone,
    weekly: [],
    exceptions: [],
    dailyCapacity: "",
    translations: {},
  };
}
