// Figures for the dashboards, written through the API of a worker started by local-worker.ts: a week of
// arrivals at varied hours, shower uses, a context event, referrals the seeded partner user answers, then the
// month-by-month rebuild of the day partials (the reports read partials, never raw rows).
import { ADMIN, COORDINATOR, PARTNER_USER, signIn } from "./local-worker.js";

export const DASHBOARD_EVENT_TITLE = "Vague de froid";

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

async function expectStatus(answer: { status: number; body: unknown }, status: number, what: string) {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
}

/**
 * Seeds the figures and returns how many visits were recorded. Visits spread over the last seven days
 * (UTC 07:00–16:00, so every one falls on the same local day in Paris), with a few age bands so that
 * some cells are small and suppressed.
 */
export async function seedDashboardFigures(origin: string, centreId: string): Promise<{ visits: number }> {
  const admin = await signIn(origin, ADMIN.email, ADMIN.password);
  const now = Date.now();
  const visits = [];
  for (let day = 1; day <= 7; day += 1) {
    const date = new Date(now - day * 86_400_000);
    const count = 6 + day;
    for (let i = 0; i < count; i += 1) {
      const arrived = new Date(
        Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 7 + (i % 3) * 3, i),
      );
      visits.push({
        idempotencyKey: `seed-${day}-${i}`,
        centreId,
        arrivedAt: arrived.toISOString(),
        ...(i % 4 === 0 ? { ageBand: "18-59", gender: "male" } : {}),
        ...(i === 1 ? { ageBand: "60+", gender: "female", firstVisit: true } : {}),
      });
    }
  }
  await expectStatus(await admin.call("POST", "/api/visits/batch", { visits }), 200, "visits");

  const services = (await admin.call<{ items: Array<{ id: string; name: string }> }>(
    "GET",
    `/api/services?centreId=${centreId}`,
  )) as { status: number; body: { items: Array<{ id: string; name: string }> } };
  const showers = services.body.items.find((service) => service.name === "Douches");
  if (!showers) throw new Error("the seed has no showers service");
  for (let i = 0; i < 8; i += 1) {
    await expectStatus(
      await admin.call("POST", "/api/service-uses", {
        centreId,
        serviceId: showers.id,
        usedAt: new Date(now - 86_400_000 - i * 60_000).toISOString(),
        quantity: 1,
      }),
      201,
      "service use",
    );
  }

  await expectStatus(
    await admin.call("POST", "/api/events", {
      centreId,
      kind: "weather",
      title: DASHBOARD_EVENT_TITLE,
      startsOn: isoDay(new Date(now - 4 * 86_400_000)),
    }),
    201,
    "event",
  );

  const partners = (await admin.call("GET", `/api/partners?centreId=${centreId}`)) as {
    body: { items: Array<{ id: string }> };
  };
  const partnerId = partners.body.items[0]?.id;
  if (!partnerId) throw new Error("the seed has no partner");
  const partner = await signIn(origin, PARTNER_USER.email, PARTNER_USER.password);
  for (let i = 0; i < 7; i += 1) {
    const created = await expectStatus(
      await admin.call("POST", "/api/referrals", {
        centreId,
        partnerId,
        need: i < 4 ? "health" : "accommodation",
        send: true,
        consent: { givenAt: new Date(now).toISOString(), method: "verbal", scopes: ["share_with_partner"] },
      }),
      201,
      "referral",
    );
    const id = String(created.id);
    const steps: Array<{ status: string; reason?: string }> =
      i === 6 ? [{ status: "rejected", reason: "at_capacity" }] : [{ status: "accepted" }];
    if (i < 6) steps.push({ status: "in-progress" }, { status: "completed" });
    for (const step of steps) {
      await expectStatus(
        await partner.call("POST", `/api/referrals/${id}/status`, step),
        200,
        `referral ${step.status}`,
      );
    }
  }

  const months = new Set([0, 7].map((days) => isoDay(new Date(now - days * 86_400_000)).slice(0, 7)));
  for (const month of months) {
    await expectStatus(await admin.call("POST", "/api/jobs/rebuild", { centreId, month }), 200, "rebuild");
  }
  return { visits: visits.length };
}

/** Two lessons for the screenshots: one validated (it is in the guide), one draft. */
export async function seedLessons(origin: string, centreId: string): Promise<void> {
  const admin = await signIn(origin, ADMIN.email, ADMIN.password);
  const lesson = (title: string, type: string, theme: string, statement: string[]) => ({
    centreId,
    type,
    theme,
    title,
    statement: {
      context: statement[0],
      situation: statement[1],
      result: statement[2],
      cause: statement[3],
      recommendation: statement[4],
    },
    contributors: ["centre_team", "partners"],
    chsCommitments: [3, 4],
    periodStart: "2026-11-01",
    periodEnd: "2026-11-15",
  });
  const validated = await expectStatus(
    await admin.call(
      "POST",
      "/api/lessons",
      lesson(
        "Échelonner les créneaux de douche les jours d'évacuation",
        "recommendation",
        "premises_logistics",
        [
          "une évacuation de campement",
          "120 personnes sont arrivées avant 9 h",
          "les douches étaient saturées dès 10 h",
          "les créneaux n'étaient pas échelonnés",
          "ouvrir des créneaux supplémentaires les jours d'évacuation",
        ],
      ),
    ),
    201,
    "lesson",
  );
  // Four eyes: the admin contributed it, a coordinator validates it.
  const coordinator = await signIn(origin, COORDINATOR.email, COORDINATOR.password);
  for (const [who, status] of [
    [admin, "reviewed"],
    [coordinator, "validated"],
  ] as const) {
    await expectStatus(
      await who.call("POST", `/api/lessons/${String(validated.id)}/status`, { status }),
      200,
      `lesson ${status}`,
    );
  }
  await expectStatus(
    await admin.call(
      "POST",
      "/api/lessons",
      lesson("Une permanence commune des partenaires le mardi", "good_practice", "coordination", [
        "l'ouverture du centre",
        "chaque partenaire venait à des jours différents",
        "les personnes revenaient plusieurs fois",
        "les plannings n'étaient pas partagés",
        "tenir une permanence commune le même jour",
      ]),
    ),
    201,
    "lesson",
  );
}
