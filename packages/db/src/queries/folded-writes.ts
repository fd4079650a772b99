// Writes whose authorisation is checked by the write itself: `INSERT … SELECT … WHERE <the caller may>`, so
// the door's tap and a partner's signed report cost one D1 round trip and still never write for a revoked
// session, device or secret (docs/scale.md, "One round trip per tap").
import type { Db } from "../client.js";
import { auditLog, inboundWebhooks, serviceUses, visits } from "../schema/index.js";
import type { NewAuditRow } from "./audit.js";
import { compiledInsert } from "./compiled-insert.js";
import type { NewServiceUseRow } from "./service-uses.js";
import type { NewVisitRow } from "./visits.js";
import type { InboundWebhookRow } from "./webhooks.js";

/** One statement as D1 takes it: `d1.prepare(sql).bind(...params)`. */
export interface RawStatement {
  sql: string;
  params: unknown[];
}

/** Where the rows of a conditional insert come from and when there are any. */
export interface InsertSource {
  /** `FROM` clause (tables and joins), or empty for a lone `SELECT … WHERE`. */
  from: string;
  where: string;
  params: readonly unknown[];
  /**
   * Columns whose value is an expression over `from` instead of the bound value (say, the actor's id); an
   * expression with one `?` keeps the bound value there (say, `replace(?, …)`).
   */
  columns?: Readonly<Record<string, string>>;
  returning?: string;
}

const INSERT_VALUES = /^insert into ("[^"]+") \((.+)\) values \((.+)\)$/s;

/** An insert's SQL split by `insertSelect`, per SQL text: the hot writes repeat a few shapes. */
interface SplitInsert {
  table: string;
  columnList: string;
  columns: string[];
  values: string[];
}
const splitBySql = new Map<string, SplitInsert>();
const MAX_SPLITS_HELD = 256;

function splitInsert(sql: string): SplitInsert {
  const held = splitBySql.get(sql);
  if (held) return held;
  const match = INSERT_VALUES.exec(sql);
  if (!match?.[1] || !match[2] || !match[3]) throw new Error(`not a one-row insert: ${sql}`);
  const split = {
    table: match[1],
    columnList: match[2],
    columns: match[2].split(", "),
    values: match[3].split(", "),
  };
  if (split.columns.length !== split.values.length) throw new Error(`not a plain values list: ${sql}`);
  if (splitBySql.size >= MAX_SPLITS_HELD) splitBySql.clear();
  splitBySql.set(sql, split);
  return split;
}

/**
 * Turns drizzle's one-row `insert into t (cols) values (…)` into `insert into t (cols) select … from … where
 * …`: the same columns and encoded values (JSON, booleans, defaults), written only when `where` holds.
 * Throws on any other shape (a multi-row insert, an upsert): a bug, not an input.
 */
export function insertSelect(query: { toSQL(): { sql: string; params: unknown[] } }, source: InsertSource) {
  const { sql, params } = query.toSQL();
  const { table, columnList, columns, values } = splitInsert(sql);
  const kept: unknown[] = [];
  let next = 0;
  const selected = values.map((value, index) => {
    const isParam = value === "?";
    const bound = isParam ? params[next++] : undefined;
    const override = source.columns?.[(columns[index] as string).slice(1, -1)];
    if (isParam && (override === undefined || override.includes("?"))) kept.push(bound);
    return override ?? value;
  });
  if (next !== params.length) throw new Error(`unexpected parameters in: ${sql}`);
  return {
    sql:
      `insert into ${table} (${columnList}) select ${selected.join(", ")}` +
      `${source.from ? ` from ${source.from}` : ""} where ${source.where}` +
      `${source.returning ? ` returning ${source.returning}` : ""}`,
    params: [...kept, ...source.params],
  } satisfies RawStatement;
}

/** The visit's insert as `insertVisits` builds it for one row written at `at`, compiled (`compiledInsert`). */
function visitInsertAt(db: Db, row: NewVisitRow, at: string) {
  return compiledInsert(db, visits, { ...row, createdAt: at, updatedAt: at });
}

/** A use's insert as `insertServiceUses` builds it for one row written at `at`, compiled. */
function useInsertAt(db: Db, row: NewServiceUseRow, at: string) {
  return compiledInsert(db, serviceUses, { ...row, createdAt: at, updatedAt: at });
}

/** What the door's folded write checks, all at the moment it writes. */
export interface DoorWriteCheck {
  /** A staff session (`halte_session`) or a door device (`halte_door`). */
  kind: "user" | "door";
  /** SHA-256 of the cookie: the session's `id_hash` or the device's `secret_hash`. */
  credentialHash: string;
  /** HMAC of the presented CSRF token keyed with the cookie (`sessions.csrf_hash`). */
  csrfHash: string;
  /** The roles that may record at the door (core's `roleCan`), for staff sessions. */
  roles: readonly string[];
  /** Checked against a centre database's credential grants (role and centre checked when granted). */
  granted?: boolean;
  centreId: string;
  /** The centre's zone the local day and hour were derived in: a changed zone refuses the write. */
  timeZone: string;
  /** The centre's retention the date was checked against: a changed retention refuses the write. */
  retentionMonths: number;
  /** A visit the write names: it must be this centre's. */
  visitId?: string;
  /** The services the tap's uses name: all of them must be this centre's. */
  serviceIds: readonly string[];
  at: string;
}

/** What a door write checks in a centre's own database, its caller already checked in the directory. */
export type CentreWriteCheck = Omit<DoorWriteCheck, "kind" | "credentialHash" | "csrfHash" | "roles">;

/** The centre's conditions of a door write: not archived, the zone and retention held, its visit, its services. */
function centreConditions(check: CentreWriteCheck): { where: string; params: unknown[] } {
  const distinctServices = [...new Set(check.serviceIds)];
  const where =
    `exists (select 1 from "centres" c where c."id" = ? and c."archived_at" is null and c."time_zone" = ? and c."retention_months" = ?)` +
    (check.visitId === undefined
      ? ""
      : ` and exists (select 1 from "visits" vi where vi."id" = ? and vi."centre_id" = ?)`) +
    (distinctServices.length === 0
      ? ""
      : ` and (select count(*) from "services" sv where sv."centre_id" = ? and sv."id" in (${distinctServices
          .map(() => "?")
          .join(", ")})) = ?`);
  const params = [
    check.centreId,
    check.timeZone,
    check.retentionMonths,
    ...(check.visitId === undefined ? [] : [check.visitId, check.centreId]),
    ...(distinctServices.length === 0 ? [] : [check.centreId, ...distinctServices, distinctServices.length]),
  ];
  return { where, params };
}

/** The row source and condition of a door write: the live credential, its CSRF hash, role, centre, services. */
export function doorWriteGuard(check: DoorWriteCheck): InsertSource & { actorId: string } {
  const { where: common, params: commonParams } = centreConditions(check);
  if (check.granted) {
    return {
      from: `"credential_grants" p`,
      where:
        `p."credential_hash" = ? and p."proof_hash" = ? and p."kind" = ? and p."centre_id" = ? ` +
        `and (p."expires_at" is null or p."expires_at" > ?) and ${common}`,
      params: [check.credentialHash, check.csrfHash, check.kind, check.centreId, check.at, ...commonParams],
      actorId: `p."actor_id"`,
    };
  }
  if (check.kind === "door") {
    return {
      from: `"door_devices" p`,
      where: `p."secret_hash" = ? and p."csrf_hash" = ? and p."revoked_at" is null and p."centre_id" = ? and ${common}`,
      params: [check.credentialHash, check.csrfHash, check.centreId, ...commonParams],
      actorId: `p."id"`,
    };
  }
  return {
    from: `"sessions" s inner join "users" p on p."id" = s."user_id"`,
    where:
      `s."id_hash" = ? and s."csrf_hash" = ? and s."revoked_at" is null and s."expires_at" > ? ` +
      `and p."disabled_at" is null and p."role" in (${check.roles.map(() => "?").join(", ")}) ` +
      `and (p."centre_id" is null or p."centre_id" = ?) ` +
      `and (p."partner_id" is null or exists (select 1 from "partners" pa where pa."id" = p."partner_id" and pa."archived_at" is null)) ` +
      `and ${common}`,
    params: [check.credentialHash, check.csrfHash, check.at, ...check.roles, check.centreId, ...commonParams],
    actorId: `p."id"`,
  };
}

/**
 * A door tap as one batch: the visit (its `recorded_by` the session's user or the device), its uses, its
 * audit row and, for a device, the last-use stamp (at most once a minute) — each written only if the visit
 * was, and the visit only if `doorWriteGuard` holds. The visit statement returns `recorded_by` when written.
 */
export function foldedVisitWrite(
  db: Db,
  check: DoorWriteCheck,
  rows: { visit: NewVisitRow; uses: readonly NewServiceUseRow[] },
  audit: Omit<NewAuditRow, "actorType" | "actorId">,
): RawStatement[] {
  const guard = doorWriteGuard(check);
  const visitInsert = visitInsertAt(db, rows.visit, check.at);
  const written = { from: `"visits" w`, where: `w."id" = ?`, params: [rows.visit.id] };
  const byRecorder = { ...written, columns: { recorded_by: `w."recorded_by"` } };
  const statements: RawStatement[] = [
    insertSelect(visitInsert, {
      ...guard,
      columns: { recorded_by: guard.actorId },
      returning: `"recorded_by"`,
    }),
    ...rows.uses.map((use) => insertSelect(useInsertAt(db, use, check.at), byRecorder)),
    insertSelect(compiledInsert(db, auditLog, { ...audit, actorType: check.kind, actorId: null }), {
      ...written,
      columns: { actor_id: `w."recorded_by"` },
    }),
  ];
  return [...statements, ...deviceStamp(check, "visits", rows.visit.id)];
}

/** A door device's last use, stamped at most once a minute, in the same batch and only if `table` got `id`. */
function deviceStamp(check: DoorWriteCheck, table: "visits" | "service_uses", id: string): RawStatement[] {
  // A granted write runs in the centre's database, where no device row is: the route stamps the directory.
  if (check.kind !== "door" || check.granted) return [];
  const minuteAgo = new Date(Date.parse(check.at) - 60_000).toISOString();
  return [
    {
      sql:
        `update "door_devices" set "last_used_at" = ? where "secret_hash" = ? ` +
        `and ("last_used_at" is null or "last_used_at" < ?) and exists (select 1 from "${table}" where "id" = ?)`,
      params: [check.at, check.credentialHash, minuteAgo, id],
    },
  ];
}

/** Stands for the recorder's id in an audit diff until the write puts the real one (`foldedServiceUseWrite`). */
export const FOLDED_RECORDER = "folded-recorder:4f1d9c";

/**
 * A door's lone service use (`POST /api/service-uses`, source `door`) as one batch, like `foldedVisitWrite`:
 * the use (its `recorded_by` the caller) only if `doorWriteGuard` holds, and its audit row — whose diff names
 * the recorder as `FOLDED_RECORDER`, replaced by the real id — only if the use was written. The use statement
 * returns `recorded_by` when written.
 */
export function foldedServiceUseWrite(
  db: Db,
  check: DoorWriteCheck,
  use: NewServiceUseRow,
  audit: Omit<NewAuditRow, "actorType" | "actorId">,
): RawStatement[] {
  const guard = doorWriteGuard(check);
  const useInsert = useInsertAt(db, use, check.at);
  return [
    insertSelect(useInsert, {
      ...guard,
      columns: { recorded_by: guard.actorId },
      returning: `"recorded_by"`,
    }),
    insertSelect(compiledInsert(db, auditLog, { ...audit, actorType: check.kind, actorId: null }), {
      from: `"service_uses" w`,
      where: `w."id" = ?`,
      params: [use.id],
      columns: {
        actor_id: `w."recorded_by"`,
        diff: `replace(?, '${JSON.stringify(FOLDED_RECORDER)}', json_quote(w."recorded_by"))`,
      },
    }),
    ...deviceStamp(check, "service_uses", use.id),
  ];
}

/** What a partner's folded webhook write checks: the secret that verified it is still live, and the rest. */
export interface WebhookWriteCheck {
  partnerId: string;
  centreId: string;
  secretId: string;
  /** The stored ciphertext the in-memory key was opened from: a re-issued row under the same id fails. */
  secretCiphertext: string;
  timeZone: string;
  retentionMonths: number;
  serviceId: string;
  at: string;
}

const LIVE_SECRET =
  `exists (select 1 from "webhook_secrets" ws where ws."id" = ? and ws."partner_id" = ? and ws."ciphertext" = ? ` +
  `and ws."revoked_at" is null and (ws."expires_at" is null or ws."expires_at" > ?))`;
/** The secret's grant in a centre's own database (`credential_grants`): same id, same ciphertext, not expired. */
const LIVE_GRANT =
  `exists (select 1 from "credential_grants" g where g."credential_hash" = ? and g."kind" = 'webhook' ` +
  `and g."actor_id" = ? and g."proof_hash" = ? and (g."expires_at" is null or g."expires_at" > ?))`;
const ACTIVE_PARTNER = `exists (select 1 from "partners" pa where pa."id" = ? and pa."centre_id" = ? and pa."archived_at" is null)`;
const SAME_CENTRE = `exists (select 1 from "centres" c where c."id" = ? and c."time_zone" = ? and c."retention_months" = ?)`;

function liveSecretParams(check: WebhookWriteCheck): unknown[] {
  return [check.secretId, check.partnerId, check.secretCiphertext, check.at];
}

function partnerAndCentreParams(check: WebhookWriteCheck): unknown[] {
  return [check.partnerId, check.centreId, check.centreId, check.timeZone, check.retentionMonths];
}

/**
 * The read (of the directory) answering one row `{ live: 1 }` while the secret that verified a message in
 * memory is still live for the partner (same row, same ciphertext, not revoked, not expired), the partner
 * active and its centre's zone and retention those the event was checked against — none otherwise. For a
 * partner whose centre has its own database, where `foldedServiceUseReport` then writes with
 * `{ secretChecked: true }`.
 */
export function heldWebhookSecretCheck(check: WebhookWriteCheck): RawStatement {
  return {
    sql: `select 1 as live where ${LIVE_SECRET} and ${ACTIVE_PARTNER} and ${SAME_CENTRE}`,
    params: [...liveSecretParams(check), ...partnerAndCentreParams(check)],
  };
}

/**
 * A partner's `service_use.reported` as one batch: its receipt (the idempotency record), the use and the
 * audit row, written only while the secret that signed it is live (not revoked, not expired), the partner
 * active, the centre's zone and retention those the event was checked against, and the service the
 * partner's at that centre. The receipt statement returns its id when written. In a centre's own database
 * (no secrets: the rest is checked against its copies of the partner and centre), the secret is checked by
 * its credential grant (`grantProof`: the SHA-256 of its ciphertext), or was just read live in the directory
 * (`secretChecked`, `heldWebhookSecretCheck`).
 */
export function foldedServiceUseReport(
  db: Db,
  check: WebhookWriteCheck,
  receipt: InboundWebhookRow,
  use: NewServiceUseRow,
  audit: { toSQL(): { sql: string; params: unknown[] } },
  options: { secretChecked?: boolean; grantProof?: string } = {},
): RawStatement[] {
  const secret =
    options.grantProof !== undefined
      ? { where: [LIVE_GRANT], params: [check.secretId, check.partnerId, options.grantProof, check.at] }
      : options.secretChecked
        ? { where: [], params: [] }
        : { where: [LIVE_SECRET], params: liveSecretParams(check) };
  const service = `exists (select 1 from "services" sv where sv."id" = ? and sv."centre_id" = ? and sv."organization_id" = ?)`;
  const guard: InsertSource = {
    from: "",
    where: [...secret.where, ACTIVE_PARTNER, SAME_CENTRE, service].join(" and "),
    params: [
      ...secret.params,
      ...partnerAndCentreParams(check),
      check.serviceId,
      check.centreId,
      check.partnerId,
    ],
    returning: `"id"`,
  };
  const written = {
    from: "",
    where: `exists (select 1 from "inbound_webhooks" where "id" = ?)`,
    params: [receipt.id],
  };
  const useInsert = useInsertAt(db, use, check.at);
  return [
    insertSelect(compiledInsert(db, inboundWebhooks, receipt), guard),
    insertSelect(useInsert, written),
    insertSelect(audit, written),
  ];
}

/**
 * A door tap in a centre's own database (one database per centre, where the caller was checked in the
 * directory first) as one batch: the visit only if `centreConditions` hold there (the centre's copy not
 * archived, with the zone and retention the rows were derived with; the services the centre's), its uses and
 * its audit row (`audit`, already naming the caller) only if the visit was written. The visit statement
 * returns its id when written.
 */
export function centreVisitWrite(
  db: Db,
  check: CentreWriteCheck,
  rows: { visit: NewVisitRow; uses: readonly NewServiceUseRow[] },
  audit: { toSQL(): { sql: string; params: unknown[] } },
): RawStatement[] {
  const visitInsert = visitInsertAt(db, rows.visit, check.at);
  const written = {
    from: "",
    where: `exists (select 1 from "visits" w where w."id" = ?)`,
    params: [rows.visit.id],
  };
  return [
    insertSelect(visitInsert, { from: "", ...centreConditions(check), returning: `"id"` }),
    ...rows.uses.map((use) => insertSelect(useInsertAt(db, use, check.at), written)),
    insertSelect(audit, written),
  ];
}

/** A door's lone use in a centre's own database, as `centreVisitWrite`: the use returns its id when written. */
export function centreServiceUseWrite(
  db: Db,
  check: CentreWriteCheck,
  use: NewServiceUseRow,
  audit: { toSQL(): { sql: string; params: unknown[] } },
): RawStatement[] {
  const useInsert = useInsertAt(db, use, check.at);
  const written = {
    from: "",
    where: `exists (select 1 from "service_uses" w where w."id" = ?)`,
    params: [use.id],
  };
  return [
    insertSelect(useInsert, { from: "", ...centreConditions(check), returning: `"id"` }),
    insertSelect(audit, written),
  ];
}
