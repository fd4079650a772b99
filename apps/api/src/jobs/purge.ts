import { anonymiseVisitorCodes, parseVisitAggregate, serializeVisitAggregate } from "@halte/core";
import {
  clearFeedbackPastRetention,
  countFeedbackPastRetention,
  type Db,
  insertJobRun,
  purgeGrantStatements,
  scrubbedAuditDiffSql,
} from "@halte/db";

/** The retention purge's name in `job_runs`. */
export const PURGE_JOB = "retention-purge";

/**
 * Day partials anonymised per run at most: the first run after a long gap may find two years of days, and a
 * D1 batch should stay small. The rest follow on the next nights.
 */
export const PARTIALS_PER_RUN = 200;

/** Revoked or expired API tokens are kept this long for the audit trail, then deleted. */
const TOKEN_GRACE_DAYS = 30;

/** What the purge removed, or would remove in a dry run: counts only, never contents. */
export interface PurgeCounts {
  /** Visits whose visitor-code hash was cleared (the code's last visit is past the centre's retention). */
  visitorCodes: number;
  /** Closed referrals whose contact details, notes and partner reference were cleared. */
  referralContacts: number;
  /** History lines and partners' messages about those referrals whose free text was cleared. */
  historyNotes: number;
  /** Consent records of those referrals, deleted. */
  consents: number;
  /** Expired or revoked sessions, deleted. */
  sessions: number;
  /** API tokens revoked or expired more than 30 days ago, deleted. */
  apiTokens: number;
  /** Day partials past retention whose visitor-code prefixes were dropped (at most 200 a run). */
  dayPartials: number;
  /** Feedback received before the centre's retention whose text was cleared (the row and its status stay). */
  feedbackTexts: number;
}

// Each category as the rows it selects, so the dry run counts exactly what the purge changes. `?1` is the
// run's instant; a centre's cutoff is that instant minus its `retention_months`, computed by SQLite. `?3` is
// the one centre a per-centre run purges, or NULL for every centre.
const ofCentre = (alias: string) => `(?3 IS NULL OR ${alias}.centre_id = ?3)`;
const cutoffOf = (alias: string) =>
  `strftime('%Y-%m-%dT%H:%M:%fZ', ?1, '-' || (SELECT retention_months FROM centres WHERE id = ${alias}.centre_id) || ' months')`;
const visitorCodesPastRetention = `visitor_code_hash IS NOT NULL AND (centre_id, visitor_code_hash) IN (
  SELECT v.centre_id, v.visitor_code_hash FROM visits v WHERE v.visitor_code_hash IS NOT NULL AND ${ofCentre("v")}
  GROUP BY v.centre_id, v.visitor_code_hash HAVING max(v.arrived_at) < ${cutoffOf("v")})`;
const closedReferralsPastRetention = `r.closed_at IS NOT NULL AND r.closed_at < ${cutoffOf("r")} AND ${ofCentre("r")}`;
const idsOfThose = `SELECT r.id FROM referrals r WHERE ${closedReferralsPastRetention}`;
const consentsOfThose = `referral_id IN (${idsOfThose})`;
const referralFreeText =
  "r.contact IS NOT NULL OR r.note IS NOT NULL OR r.status_note IS NOT NULL OR r.partner_reference IS NOT NULL";
const historyNotesOfThose = `note IS NOT NULL AND referral_id IN (${idsOfThose})`;
const inboundNotesOfThose = `(note IS NOT NULL OR partner_reference IS NOT NULL) AND referral_id IN (${idsOfThose})`;
// The audit log's copies: redacted when written, scrubbed again here for rows older than that rule.
const auditOfThose = `entity = 'referral' AND diff IS NOT NULL AND entity_id IN (${idsOfThose})`;
const partialsPastRetention = `json_array_length(aggregate, '$.visitorCodes') > 0
  AND local_day < date(?1, '-' || (SELECT retention_months FROM centres WHERE id = vr.centre_id) || ' months')
  AND ${ofCentre("vr")}`;
const nextPartials = `SELECT centre_id, local_day, aggregate FROM visit_rollups vr WHERE ${partialsPastRetention}
  ORDER BY centre_id, local_day LIMIT ${PARTIALS_PER_RUN}`;
const lapsedSessions = "expires_at < ?1 OR revoked_at IS NOT NULL";
// `?2` is the instant 30 days before the run.
const lapsedTokens =
  "(expires_at IS NOT NULL AND expires_at < ?2) OR (revoked_at IS NOT NULL AND revoked_at < ?2)";

/**
 * The nightly retention purge. Per centre, after `retention_months` (default 24): a visitor code's hash is
 * cleared from all its visits once its *last* visit is that old; a closed referral's contact details, its
 * notes and the partner's reference are cleared — with the notes of its history, of the partners' messages
 * about it and the copies in the audit log — and its consent records deleted once it closed that long ago. Everywhere:
 * expired and revoked sessions are deleted, and API tokens 30 days after they were revoked or expired.
 * The stored day partials of days past retention lose their visitor-code prefixes (core's
 * `anonymiseVisitorCodes`): their figures stay, and the roll-up no longer re-rolls those days. Feedback
 * received that long ago loses its text (the row, its status and any lesson citing it stay).
 *
 * Aggregates stay: visits keep their counts and their `updated_at` is not touched, so the roll-up does not
 * re-roll the days and the stored day partials keep their figures. With `dryRun` nothing changes and the
 * counts say what would go. Every run (dry or not) is recorded with its counts, never contents.
 *
 * `scope` says what one run covers: `{ centreId }` is one centre's records (the nightly job, one queue
 * message per centre); `"shared"` is what belongs to no centre (sessions, API tokens: one message a night);
 * `"all"` is both for every centre at once (the admin's "run it now"); `"centres"` is every centre's records
 * in `db` and nothing shared (the admin's "run it now" in a centre database of its own).
 *
 * `db`/`d1` is where the run's records are: a centre's database for a centre's records, the directory for
 * the shared ones. The run's `job_runs` row goes to `directory` (default `db`): in the same batch when that
 * is `db`, else right after it (a purge that ran and was not recorded is retried, and a second purge of the
 * same rows changes nothing and records itself).
 */
export type PurgeScope = "all" | "shared" | "centres" | { centreId: string };

export async function runPurge(options: {
  db: Db;
  d1: D1Database;
  directory?: Db;
  now: Date;
  newId: () => string;
  dryRun: boolean;
  scope?: PurgeScope;
}): Promise<PurgeCounts & { dryRun: boolean }> {
  const { db, d1, now, dryRun } = options;
  const scope = options.scope ?? "all";
  const centreId = typeof scope === "object" ? scope.centreId : null;
  const centres = scope !== "shared";
  const shared = scope === "all" || scope === "shared";
  const directory = options.directory ?? db;
  const at = now.toISOString();
  const started = Date.now();
  const tokenCutoff = new Date(now.getTime() - TOKEN_GRACE_DAYS * 86_400_000).toISOString();
  // D1 wants exactly as many bindings as the highest `?N` a statement uses.
  const statement = (query: string) =>
    query.includes("?3")
      ? d1.prepare(query).bind(at, tokenCutoff, centreId)
      : query.includes("?2")
        ? d1.prepare(query).bind(at, tokenCutoff)
        : d1.prepare(query).bind(at);
  const count = async (query: string) => (await statement(query).first<number>("n")) ?? 0;
  // A category outside the run's scope counts nothing and changes nothing.
  const centreCount = (query: string) => (centres ? count(query) : 0);
  const sharedCount = (query: string) => (shared ? count(query) : 0);
  const counts: PurgeCounts = {
    visitorCodes: await centreCount(`SELECT count(*) AS n FROM visits WHERE ${visitorCodesPastRetention}`),
    referralContacts: await centreCount(
      `SELECT count(*) AS n FROM referrals r WHERE ${closedReferralsPastRetention} AND (${referralFreeText})`,
    ),
    historyNotes: await centreCount(
      `SELECT (SELECT count(*) FROM referral_history WHERE ${historyNotesOfThose})
        + (SELECT count(*) FROM inbound_webhooks WHERE ${inboundNotesOfThose}) AS n`,
    ),
    consents: await centreCount(`SELECT count(*) AS n FROM consents WHERE ${consentsOfThose}`),
    sessions: await sharedCount(`SELECT count(*) AS n FROM sessions WHERE ${lapsedSessions}`),
    apiTokens: await sharedCount(`SELECT count(*) AS n FROM api_tokens WHERE ${lapsedTokens}`),
    dayPartials: await centreCount(`SELECT count(*) AS n FROM (${nextPartials})`),
    feedbackTexts: centres ? await countFeedbackPastRetention(db, at, centreId) : 0,
  };
  const run = {
    id: options.newId(),
    job: PURGE_JOB,
    centreId,
    startedAt: at,
    finishedAt: new Date().toISOString(),
    watermarkFrom: dryRun ? "dry-run" : "purge",
    watermarkTo: at,
    rowsRead: Object.values(counts).reduce((sum, n) => sum + n, 0),
    daysRolled: 0,
    durationMs: Date.now() - started,
  };
  const record = insertJobRun(directory, run);
  if (dryRun) {
    await record;
    return { ...counts, dryRun };
  }
  const partials = centres
    ? (await statement(nextPartials).all<{ centre_id: string; local_day: string; aggregate: string }>())
        .results
    : [];
  const anonymised = partials.map((row) => {
    const parsed = parseVisitAggregate(row.aggregate);
    if (!parsed.ok) throw new Error(`stored partial of ${row.local_day} is unreadable`);
    return d1
      .prepare("UPDATE visit_rollups SET aggregate = ?1 WHERE centre_id = ?2 AND local_day = ?3")
      .bind(serializeVisitAggregate(anonymiseVisitorCodes(parsed.value)), row.centre_id, row.local_day);
  });
  // One D1 batch (one transaction): the purge happens whole or not at all, and its record with it.
  const { sql: recordSql, params } = record.toSQL();
  const recordHere = directory === db ? [d1.prepare(recordSql).bind(...params)] : [];
  const feedbackTexts = clearFeedbackPastRetention(db, at, centreId).toSQL();
  const centreSteps = () => [
    statement(`UPDATE visits SET visitor_code_hash = NULL WHERE ${visitorCodesPastRetention}`),
    statement(`DELETE FROM consents WHERE ${consentsOfThose}`),
    statement(`UPDATE referral_history SET note = NULL WHERE ${historyNotesOfThose}`),
    statement(
      `UPDATE inbound_webhooks SET note = NULL, partner_reference = NULL WHERE ${inboundNotesOfThose}`,
    ),
    statement(`UPDATE audit_log SET diff = ${scrubbedAuditDiffSql()} WHERE ${auditOfThose}`),
    statement(
      `UPDATE referrals AS r SET contact = NULL, note = NULL, status_note = NULL, partner_reference = NULL
        WHERE ${closedReferralsPastRetention}`,
    ),
    d1.prepare(feedbackTexts.sql).bind(...feedbackTexts.params),
    // Door and webhook grants past their session's or secret's end, and fences past theirs (auth/grants.ts).
    ...purgeGrantStatements(at).map((s) => d1.prepare(s.sql).bind(...s.params)),
  ];
  const sharedSteps = () => [
    statement(`DELETE FROM sessions WHERE ${lapsedSessions}`),
    statement(`DELETE FROM api_tokens WHERE ${lapsedTokens}`),
  ];
  await d1.batch([
    ...(centres ? centreSteps() : []),
    ...(shared ? sharedSteps() : []),
    ...anonymised,
    ...recordHere,
  ]);
  if (recordHere.length === 0) await record;
  return { ...counts, dryRun };
}
