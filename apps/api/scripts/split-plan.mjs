// What the move from one database to many (scripts/split-centres.mjs) copies, in which order, and the SQL
// that reads, counts and deletes one centre's rows. Pure: no wrangler, no files. The tables follow
// packages/db/src/homes.ts (`CENTRE_TABLES` are moved, `CENTRE_COPIED_TABLES` copied, `audit_log` moved
// with its centre's rows); cli-test/split-centres.test.ts checks that the two lists agree.

/** Moved: every row of the centre goes to its database, then leaves the directory. In foreign-key order. */
export const MOVED_TABLES = [
  "services",
  "visits",
  "service_uses",
  "visit_rollups",
  "visit_month_rollups",
  "job_watermarks",
  "referrals",
  "referral_history",
  "referral_acknowledgements",
  "consents",
  "service_capacity_reports",
  "tickets",
  "ticket_prefixes",
  "events",
  "feedback",
  "lessons",
  "inbound_webhooks",
  "audit_log",
];

/** Copied: the directory keeps its rows; the centre's database gets a copy its foreign keys point at. */
export const COPIED_TABLES = ["centres", "partners"];

/** The moved tables each moved table's foreign keys name (the copied tables are written before all). */
export const DEPENDS_ON = {
  service_uses: ["visits", "services"],
  referrals: ["services"],
  referral_history: ["referrals"],
  referral_acknowledgements: ["referrals"],
  service_capacity_reports: ["services"],
  tickets: ["services"],
};

/** The centre's rows of a table, as a WHERE condition. `centreId` must be checked before (an id, no quote). */
export function centreFilter(table, centreId) {
  if (table === "referral_history") {
    return `referral_id IN (SELECT id FROM referrals WHERE centre_id = '${centreId}')`;
  }
  // A centre's roll-up and month-merge watermarks: they sit with its day and month partials.
  if (table === "job_watermarks") return `job IN ('visit-rollup:${centreId}', 'month-partials:${centreId}')`;
  if (table === "centres") return `id = '${centreId}'`;
  // A centre's partners: those whose home it is, and those linked to it (`partner_centres`, a directory
  // table: a centre's database has none, its copies of linked partners name the centre itself).
  if (table === "partners") {
    return `(centre_id = '${centreId}' OR id IN (SELECT partner_id FROM partner_centres WHERE centre_id = '${centreId}'))`;
  }
  return `centre_id = '${centreId}'`;
}

/** Ids the tools put into SQL unquoted-safe: what the API and the seed generate (uuids, `demo-…`). */
export function assertSafeId(id) {
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(id)) throw new Error(`Refusing an unexpected centre id: ${id}`);
  return id;
}

/** One page of a table's rows of the centre after a rowid, in rowid order (`__rowid` is the cursor). */
export function pageSql(table, centreId, afterRowid, limit) {
  return (
    `SELECT rowid AS __rowid, * FROM ${table} WHERE (${centreFilter(table, centreId)}) ` +
    `AND rowid > ${Number(afterRowid)} ORDER BY rowid LIMIT ${Number(limit)}`
  );
}

/** One statement counting the centre's rows of every table: one row, a column per table. */
export function countsSql(tables, centreId) {
  return `SELECT ${tables
    .map((t) => `(SELECT count(*) FROM ${t} WHERE ${centreFilter(t, centreId)}) AS ${t}`)
    .join(", ")}`;
}

/**
 * Deletes up to `limit` of the centre's rows of a table (D1 bounds the work one statement may do), and
 * none while a table naming it still holds the centre's rows: the statements of every table, children
 * first, go in one call, and the call is repeated until nothing is left.
 */
export function deletePageSql(table, centreId, limit) {
  const children = Object.entries(DEPENDS_ON)
    .filter(([, parents]) => parents.includes(table))
    .map(([child]) => `NOT EXISTS (SELECT 1 FROM ${child} WHERE ${centreFilter(child, centreId)})`);
  return (
    `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} ` +
    `WHERE ${centreFilter(table, centreId)} LIMIT ${Number(limit)})` +
    `${children.length > 0 ? ` AND ${children.join(" AND ")}` : ""};`
  );
}

/** The moved tables, children before the tables they name: the order of deletes. */
export const DELETE_ORDER = [...MOVED_TABLES].reverse();

/**
 * Whether a page of `table` read in this round may be written: every table it names is complete — copied
 * in an earlier round, or closed by this round's page, written before it in the same call.
 */
export function mayWrite(table, open) {
  return (DEPENDS_ON[table] ?? []).every((parent) => !open.has(parent));
}

/**
 * Tables whose counts do not agree between the directory's rows of the centre and its database's: equal
 * before the directory names the new database; after that (a move resumed while deleting, the directory
 * holding some rows only), the centre's database holds at least as many.
 */
export function countMismatches(inDirectory, inCentre, { resumed = false } = {}) {
  return Object.keys(inDirectory)
    .filter((t) =>
      resumed ? Number(inCentre[t]) < Number(inDirectory[t]) : Number(inDirectory[t]) !== Number(inCentre[t]),
    )
    .map((t) => ({ table: t, directory: Number(inDirectory[t]), centre: Number(inCentre[t]) }));
}
