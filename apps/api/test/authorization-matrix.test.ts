import { type Permission, type Role, roleCan } from "@halte/core";
import { apiTokens, sessions } from "@halte/db";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  type Caller,
  callHandler,
  db,
  givenCentre,
  givenPartner,
  partnerToken,
  signedIn,
} from "./helpers.js";

/**
 * The one table: what each operation of the API requires. `public` answers anyone; `signed-in` any
 * authenticated caller; `staff-session` a signed-in person (an API token has no session); `webhook-signature`
 * only a message signed with the partner's webhook secret (a session or a token is not enough: 401 for
 * everyone here); otherwise the caller's role must hold one of the permissions (core's role table
 * says which roles do). Every operation of the OpenAPI document must appear here, and nothing else.
 */
const required: Record<
  string,
  "public" | "signed-in" | "staff-session" | "webhook-signature" | Permission[]
> = {
  "GET /api/health": "public",
  "POST /api/auth/login": "public",
  "GET /api/auth/session": "staff-session",
  "POST /api/auth/logout": "staff-session",
  "GET /api/centres": "signed-in",
  "POST /api/centres": ["centre:manage"],
  "GET /api/centres/{centreId}": "signed-in",
  "PUT /api/centres/{centreId}": ["centre:manage"],
  "POST /api/centres/{centreId}/archive": ["centre:manage"],
  "GET /api/partners": ["partners:read"],
  "POST /api/partners": ["partners:manage"],
  "GET /api/partners/{partnerId}": ["partners:read"],
  "PUT /api/partners/{partnerId}": ["partners:manage"],
  "POST /api/partners/{partnerId}/archive": ["partners:manage"],
  "POST /api/partners/{partnerId}/centres": ["partners:manage"],
  "DELETE /api/partners/{partnerId}/centres/{centreId}": ["partners:manage"],
  "GET /api/partners/{partnerId}/tokens": ["partners:manage"],
  "POST /api/partners/{partnerId}/tokens": ["partners:manage"],
  "POST /api/tokens/{tokenId}/revoke": ["partners:manage"],
  "GET /api/services": ["services:read"],
  "POST /api/services": ["services:manage"],
  "GET /api/services/{serviceId}": ["services:read"],
  "PUT /api/services/{serviceId}": ["services:manage"],
  "POST /api/services/{serviceId}/archive": ["services:manage"],
  "GET /api/services/{serviceId}/capacity": ["services:read"],
  "GET /api/public/centres": "public",
  "GET /api/public/centres/{slug}/services": "public",
  "GET /api/public/centres/{slug}/hsds.json": "public",
  "POST /api/visits": ["visits:record"],
  "POST /api/visits/batch": ["visits:record"],
  "GET /api/visits": ["visits:read"],
  "GET /api/visits/today": ["visits:record"],
  "POST /api/visits/{visitId}/void": ["visits:record"],
  "POST /api/door-devices": ["door-devices:manage"],
  "GET /api/door-devices": ["door-devices:manage"],
  "POST /api/door-devices/{deviceId}/revoke": ["door-devices:manage"],
  "POST /api/service-uses/{serviceUseId}/void": ["visits:record"],
  "POST /api/tickets/prefix": ["visits:record"],
  "POST /api/tickets": ["visits:record"],
  "GET /api/tickets": ["visits:record"],
  "POST /api/tickets/{ticketId}/call": ["visits:record"],
  "POST /api/tickets/{ticketId}/cancel": ["visits:record"],
  "POST /api/service-uses": ["visits:record", "service-uses:report"],
  "GET /api/service-uses": ["visits:record", "service-uses:report"],
  "POST /api/referrals": ["referrals:create"],
  "GET /api/referrals": ["referrals:read"],
  "GET /api/referrals/{referralId}": ["referrals:read"],
  "POST /api/referrals/{referralId}/status": ["referrals:update", "referrals:respond"],
  "GET /api/referrals/{referralId}/history": ["referrals:read"],
  "POST /api/referrals/{referralId}/consent/withdraw": ["referrals:update"],
  "POST /api/referrals/{referralId}/erase": ["referrals:update"],
  "GET /api/events": ["reports:read", "events:manage", "lessons:contribute"],
  "POST /api/events": ["events:manage"],
  "GET /api/events/{eventId}": ["reports:read", "events:manage", "lessons:contribute"],
  "PUT /api/events/{eventId}": ["events:manage"],
  "POST /api/events/{eventId}/archive": ["events:manage"],
  "GET /api/lessons": ["lessons:read"],
  "GET /api/lessons/guide": ["lessons:read"],
  "POST /api/lessons": ["lessons:contribute"],
  "GET /api/lessons/{lessonId}": ["lessons:read"],
  "PUT /api/lessons/{lessonId}": ["lessons:contribute"],
  "POST /api/lessons/{lessonId}/status": ["lessons:contribute"],
  "POST /api/lessons/{lessonId}/archive": ["lessons:contribute"],
  "GET /api/lessons/{lessonId}/history": ["lessons:read"],
  "POST /api/public/centres/{slug}/feedback": "public",
  "GET /api/feedback": ["feedback:moderate"],
  "GET /api/feedback/summary": ["reports:read", "feedback:moderate"],
  "POST /api/feedback/{feedbackId}/moderation": ["feedback:moderate"],
  "GET /api/users": ["users:manage"],
  "POST /api/users": ["users:manage"],
  "GET /api/users/{userId}": ["users:manage"],
  "PUT /api/users/{userId}": ["users:manage"],
  "POST /api/users/{userId}/disable": ["users:manage"],
  "POST /api/users/{userId}/enable": ["users:manage"],
  "POST /api/users/{userId}/password": "signed-in",
  "GET /api/audit": ["audit:read"],
  "GET /api/reports/visits": ["reports:read"],
  "GET /api/reports/arrivals": ["reports:read"],
  "GET /api/reports/services": ["reports:read"],
  "GET /api/reports/referrals": ["reports:read", "referrals:read"],
  "GET /api/jobs/runs": ["centre:manage"],
  "POST /api/jobs/retention-purge": ["centre:manage"],
  "POST /api/jobs/rebuild": ["centre:manage"],
  "POST /api/jobs/rollup": ["centre:manage"],
  "POST /api/webhooks/partners/{partnerId}": "webhook-signature",
  "POST /api/partners/{partnerId}/webhook-secrets": ["webhooks:manage"],
  "GET /api/partners/{partnerId}/webhook-secrets": ["webhooks:manage"],
  "POST /api/webhook-secrets/{secretId}/revoke": ["webhooks:manage"],
  "POST /api/partners/{partnerId}/webhook-endpoints": ["webhooks:manage"],
  "GET /api/partners/{partnerId}/webhook-endpoints": ["webhooks:manage"],
  "GET /api/webhook-endpoints/{endpointId}/deliveries": ["webhooks:manage"],
  "POST /api/webhook-endpoints/{endpointId}/disable": ["webhooks:manage"],
  "POST /api/webhook-deliveries/{deliveryId}/resend": ["webhooks:manage"],
  "POST /api/referrals/{referralId}/acknowledge": ["referrals:respond"],
};

type Who =
  | Role
  | "door-device"
  | "partner-token"
  | "other-partner-token"
  | "expired-session"
  | "revoked-token"
  | "anonymous";
const everyone: Who[] = [
  "admin",
  "coordinator",
  "reception",
  "door-device",
  "observer",
  "partner",
  "partner-token",
  "other-partner-token",
  "expired-session",
  "revoked-token",
  "anonymous",
];
/** Callers whose credentials no longer count: they are anonymous to every route. */
const lapsed = new Set<Who>(["anonymous", "expired-session", "revoked-token"]);
/** Bodies that get past validation, where a route must look at the record to refuse (or accept) the call. */
const probeBodies: Record<string, unknown> = {
  "POST /api/referrals/{referralId}/status": { status: "accepted" },
  // Linking the partner's own home centre: valid, and allowed to a coordinator bound to it (changes nothing).
  "POST /api/partners/{partnerId}/centres": () => ({ centreId: ids.centreId }),
};
/**
 * Operations that change a lesson: a contributor who may not validate (reception, partners) changes only the
 * lessons they contributed, so on the admin's lesson the handler refuses them (403) once the body is valid.
 */
const authorOwned = new Set([
  "PUT /api/lessons/{lessonId}",
  "POST /api/lessons/{lessonId}/status",
  "POST /api/lessons/{lessonId}/archive",
]);
/** Path parameters naming the first partner's own records: another partner must not reach them. */
const partnerOwned = ["{partnerId}", "{referralId}"];

function expectedAllowed(rule: (typeof required)[string], who: Who): boolean {
  // A token that is presented but revoked is refused everywhere, public routes included: an integration
  // with a dead credential learns it at once instead of silently reading as anonymous.
  if (rule === "public") return who !== "revoked-token";
  if (lapsed.has(who) || rule === "webhook-signature") return false;
  if (rule === "signed-in") return true;
  if (rule === "staff-session") {
    return who !== "partner-token" && who !== "other-partner-token" && who !== "door-device";
  }
  // A door device records at its centre's door and does nothing else, whatever reception may do.
  if (who === "door-device") return rule.includes("visits:record");
  const role: Role = who === "partner-token" || who === "other-partner-token" ? "partner" : (who as Role);
  return rule.some((permission) => roleCan(role, permission));
}

let operations: string[] = [];
/** Each test gets its own caller, so a logout or a disabled account in one case cannot leak into another. */
async function callerFor(who: Who): Promise<Caller | undefined> {
  const { centreId, partnerId } = ids as { centreId: string; partnerId: string };
  switch (who) {
    case "anonymous":
      return undefined;
    case "admin":
      return signedIn("admin");
    case "partner":
      return signedIn("partner", { centreId, partnerId });
    case "partner-token":
      return partnerToken(centreId, partnerId);
    case "door-device":
      // Set up once, before a case archives the centre (setting one up needs a live centre).
      return doorDevice;
    case "other-partner-token":
      return partnerToken(centreId, ids.otherPartnerId as string);
    case "expired-session": {
      const caller = await signedIn("admin");
      await db
        .update(sessions)
        .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
        .where(eq(sessions.userId, caller.userId));
      return caller;
    }
    case "revoked-token": {
      const caller = await partnerToken(centreId, partnerId);
      await db
        .update(apiTokens)
        .set({ revokedAt: new Date().toISOString() })
        .where(eq(apiTokens.id, caller.userId));
      return caller;
    }
    default:
      return signedIn(who, { centreId });
  }
}
const ids: Record<string, string> = {};
let doorDevice: Caller;

beforeAll(async () => {
  const document = await api("GET", "/api/openapi.json");
  operations = Object.entries(document.body.paths as Record<string, Record<string, unknown>>).flatMap(
    ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const centreId = await givenCentre();
  const partnerId = await givenPartner(centreId);
  const otherPartnerId = await givenPartner(centreId, "France terre d'asile");
  const admin = await signedIn("admin");
  const device = await api("POST", "/api/door-devices", {
    as: await signedIn("coordinator", { centreId }),
    body: { centreId, name: "Matrix tablet" },
  });
  doorDevice = {
    userId: device.body.device.id,
    headers: {
      cookie: `halte_door=${/halte_door=([^;]+)/.exec(device.headers.get("set-cookie") ?? "")?.[1] ?? ""}`,
      "x-csrf-token": device.body.csrfToken,
    },
  };
  // Real records, so an allowed call reaches its handler instead of stopping at "not found".
  const target = await signedIn("reception", { centreId });
  const token = await api("POST", `/api/partners/${partnerId}/tokens`, {
    as: admin,
    body: { name: "matrix" },
  });
  const schedule = {
    timeZone: "Europe/Paris",
    weekly: [{ weekday: 1, opensAt: "08:00", closesAt: "19:00" }],
    exceptions: [],
  };
  const service = await api("POST", "/api/services", {
    as: admin,
    body: { centreId, organizationId: partnerId, name: "Douches", category: "hygiene", schedule },
  });
  // An endpoint before the referral, so sending it makes a delivery for the delivery-log routes.
  const endpoint = await api("POST", `/api/partners/${partnerId}/webhook-endpoints`, {
    as: admin,
    body: { url: "https://partner.example/halte" },
  });
  const referral = await api("POST", "/api/referrals", {
    as: admin,
    body: {
      centreId,
      partnerId,
      need: "health",
      send: true,
      consent: { givenAt: "2026-01-01T10:00:00Z", method: "verbal", scopes: ["share_with_partner"] },
    },
  });
  const secret = await api("POST", `/api/partners/${partnerId}/webhook-secrets`, { as: admin, body: {} });
  const deliveries = await api("GET", `/api/webhook-endpoints/${endpoint.body.id}/deliveries`, { as: admin });
  const event = await api("POST", "/api/events", {
    as: admin,
    body: { centreId, kind: "surge", title: "Afflux", startsOn: "2026-01-01" },
  });
  const lesson = await api("POST", "/api/lessons", {
    as: admin,
    body: {
      centreId,
      type: "challenge",
      theme: "resources",
      title: "T",
      statement: { context: "a", situation: "b", result: "c", cause: "d", recommendation: "e" },
      contributors: ["centre_team"],
      periodStart: "2026-01-01",
      periodEnd: "2026-01-31",
    },
  });
  Object.assign(ids, {
    centreId,
    partnerId,
    otherPartnerId,
    userId: target.userId,
    tokenId: token.body.id,
    serviceId: service.body.id,
    referralId: referral.body.id,
    eventId: event.body.id,
    lessonId: lesson.body.id,
    secretId: secret.body.id,
    endpointId: endpoint.body.id,
    deliveryId: deliveries.body.items?.[0]?.id,
  });
  for (const [name, id] of Object.entries(ids)) if (!id) throw new Error(`setup failed to create ${name}`);
});

describe("role × route matrix", () => {
  it("covers every operation of the OpenAPI document, and only those", () => {
    expect([...operations].sort()).toEqual(Object.keys(required).sort());
  });

  for (const operation of Object.keys(required)) {
    for (const who of everyone) {
      const allowed = expectedAllowed(required[operation] as (typeof required)[string], who);
      it(`${operation} as ${who}: ${allowed ? "allowed" : "refused"}`, async () => {
        const [method, template] = operation.split(" ") as [string, string];
        // Archiving the shared partner would shut its token out of every later case: archive a fresh one.
        const own =
          operation === "POST /api/partners/{partnerId}/archive"
            ? { partnerId: await givenPartner(ids.centreId as string, "To archive") }
            : {};
        const path = template.replace(
          /\{(\w+)\}/g,
          (_, name: string) => (own as Record<string, string>)[name] ?? ids[name] ?? name,
        );
        const query = method === "GET" && !template.includes("{") ? `?centreId=${ids.centreId}` : "";
        const probe = probeBodies[operation];
        const body = method === "GET" ? undefined : typeof probe === "function" ? probe() : (probe ?? {});
        const caller = await callerFor(who);
        const response = await callHandler(method, `${path}${query}`, {
          ...(caller ? { as: caller } : {}),
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const roleOf = (
          who === "partner-token" || who === "other-partner-token"
            ? "partner"
            : who === "door-device"
              ? "reception"
              : who
        ) as Role;
        if (allowed && authorOwned.has(operation) && !roleCan(roleOf, "lessons:validate")) {
          // Allowed to the role, but the lesson is someone else's: refused by the record, or by the body first.
          expect([403, 422], JSON.stringify(response.body)).toContain(response.status);
          if (response.status === 403) {
            expect((response.body as { detail?: string }).detail).toBe(
              "You may change only the lessons you contributed",
            );
          }
        } else if (
          allowed &&
          who === "other-partner-token" &&
          partnerOwned.some((p) => template.includes(p))
        ) {
          // Allowed to the role, but these are another organisation's records: nothing to see.
          expect([403, 404], JSON.stringify(response.body)).toContain(response.status);
        } else if (allowed) {
          expect(response.status, JSON.stringify(response.body)).not.toBe(401);
          expect(response.status, JSON.stringify(response.body)).not.toBe(403);
        } else {
          const unauthenticated =
            lapsed.has(who) ||
            required[operation] === "staff-session" ||
            required[operation] === "webhook-signature";
          expect(response.status).toBe(unauthenticated ? 401 : 403);
          expect((response.body as { code?: string }).code).toBe(
            unauthenticated ? "unauthenticated" : "forbidden",
          );
        }
      });
    }
  }
});
