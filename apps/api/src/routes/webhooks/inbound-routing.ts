// Where a verified message of a partner working with several centres lands (docs/partners.md, "One identity
// across centres"): in the database of the centre its referral or service belongs to, never in another.
import type { PartnerWebhookEvent } from "@halte/core";
import {
  type Db,
  type DoorService,
  doorServicesByIds,
  getInboundWebhook,
  getReferral,
  type InboundWebhookRow,
  type PartnerCentre,
  type WebhookReceipt,
} from "@halte/db";
import type { Context } from "hono";
import type { AppEnv } from "../../context.js";

/** The centre a message is about, its database, and the services the partner runs that it may name. */
export interface InboundTarget {
  centre: PartnerCentre;
  db: Db;
  services: Map<string, DoorService>;
  /** The first answer to this `webhook-id` in that database, when it is not the one read with the receipt. */
  first: InboundWebhookRow | null;
}

/**
 * The centre a verified message is about: the referral's (for a status change) or the service's (for a
 * capacity report or service uses), when that centre is one the partner works with now (`receipt.centres`,
 * read in the directory with its secrets). Looked for in the home centre's database first (`homeDb`, where the
 * receipt's services were read), then in the databases of the other centres it works with. The home centre
 * when nothing is found there — the receivers then answer 404 as they always did — so a referral or service
 * of a centre the partner does not (or no longer) work with is never reached.
 */
export async function inboundTarget(
  c: Context<AppEnv>,
  receipt: WebhookReceipt & { partner: NonNullable<WebhookReceipt["partner"]> },
  homeDb: Db,
  event: PartnerWebhookEvent,
  webhookId: string,
): Promise<InboundTarget> {
  const { partner } = receipt;
  const home: PartnerCentre = {
    id: partner.centreId,
    timeZone: partner.timeZone,
    retentionMonths: partner.retentionMonths,
    d1Binding: partner.d1Binding,
  };
  const byId = new Map(receipt.centres.map((centre) => [centre.id, centre]));
  const atHome: InboundTarget = { centre: home, db: homeDb, services: receipt.services, first: null };
  if (receipt.centres.every((centre) => centre.id === home.id)) return atHome;

  const { dbs } = c.get("services");
  // The home centre's database first (already read), then each other database once.
  const databases: Db[] = [homeDb];
  for (const centre of receipt.centres) {
    const db = dbs.dbNamed(centre.d1Binding);
    if (!databases.includes(db)) databases.push(db);
  }
  for (const db of databases) {
    const found = await centreOfSubject(db, db === homeDb ? receipt.services : null, event, partner.id);
    const centre = found === null ? undefined : byId.get(found.centreId);
    if (!found || !centre) continue;
    const services = found.service
      ? new Map(receipt.services).set(found.service.id, found.service)
      : receipt.services;
    const first = db === homeDb ? null : await getInboundWebhook(db, partner.id, webhookId);
    return { centre, db, services, first };
  }
  return atHome;
}

/** The centre of the referral sent to the partner, or of the service it runs, that the event names, in `db`. */
async function centreOfSubject(
  db: Db,
  known: Map<string, DoorService> | null,
  event: PartnerWebhookEvent,
  partnerId: string,
): Promise<{ centreId: string; service?: DoorService } | null> {
  if (event.type === "referral.status_changed") {
    const referral = await getReferral(db, event.data.referralId);
    return referral && referral.partnerId === partnerId && referral.requestedAt !== null
      ? { centreId: referral.centreId }
      : null;
  }
  const service =
    known?.get(event.data.serviceId) ??
    (await doorServicesByIds(db, [event.data.serviceId])).get(event.data.serviceId);
  return service && service.organizationId === partnerId ? { centreId: service.centreId, service } : null;
}
