// The demo's ticket queue (issue 14): the showers (12 cabins for 100+ people a day) hand out tickets, and
// today — the day the demo runs, in the centre's zone — has three tickets called (each one shower use,
// counted like a "+1") and three waiting, numbered with reception's letter "A". Safe to re-run: fixed ids
// per day, INSERT OR IGNORE. Run by seed.mjs after the services and users exist. Just after midnight in the
// centre's zone the queue's hour is drawn into the minutes of today so far, so the queue is always today's.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localDateOf } from "@halte/core";
import { CENTRE_ID, TIME_ZONE } from "./seed-data.mjs";
import { sql } from "./seed-sql.mjs";
import { earlierToday } from "./todays-clock.mjs";
import { wrangler } from "./wrangler.mjs";

const SHOWERS = "demo-service-showers";
const RECEPTION = "demo-user-accueil";
const PREFIX = "A";
/** Minutes before now each ticket was taken, and called (null: still waiting). */
const TICKETS = [
  [55, 40],
  [50, 33],
  [45, 26],
  [30, null],
  [22, null],
  [12, null],
];

/** The longest offset in TICKETS: the queue's hour, squeezed into today so far just after midnight. */
const SPAN_MS = 55 * 60_000;

export function seedTickets(now = new Date()) {
  const day = localDateOf(now, TIME_ZONE);
  const back = earlierToday(now, SPAN_MS, TIME_ZONE);
  const minutesAgo = (minutes) => back(minutes * 60_000).toISOString();
  const at = now.toISOString();
  const statements = [
    `UPDATE services SET ticket_queue = 1 WHERE id = ${sql(SHOWERS)};`,
    `INSERT OR IGNORE INTO ticket_prefixes (centre_id, holder_id, prefix, created_at) VALUES (${[CENTRE_ID, RECEPTION, PREFIX, at].map(sql).join(", ")});`,
  ];
  TICKETS.forEach(([taken, called], index) => {
    const id = `demo-ticket-${day}-${index + 1}`;
    const useId = called === null ? null : `demo-ticket-use-${day}-${index + 1}`;
    const takenAt = minutesAgo(taken);
    const calledAt = called === null ? null : minutesAgo(called);
    statements.push(
      `INSERT OR IGNORE INTO tickets (id, centre_id, service_id, local_day, prefix, number, status, taken_at, taken_by, called_at, called_by, service_use_id, created_at, updated_at) VALUES (${[
        id,
        CENTRE_ID,
        SHOWERS,
        localDateOf(takenAt, TIME_ZONE),
        PREFIX,
        index + 1,
        called === null ? "waiting" : "called",
        takenAt,
        RECEPTION,
        calledAt,
        called === null ? null : RECEPTION,
        useId,
        at,
        at,
      ]
        .map(sql)
        .join(", ")});`,
    );
    if (useId !== null) {
      // The call's use, as callTicket records it: a door use keyed by the ticket, counted once.
      statements.push(
        `INSERT OR IGNORE INTO service_uses (id, created_at, updated_at, centre_id, service_id, visit_id, used_at, local_day, quantity, source, partner_id, idempotency_key, recorded_by, record_key) VALUES (${[
          useId,
          at,
          at,
          CENTRE_ID,
          SHOWERS,
          null,
          calledAt,
          localDateOf(calledAt, TIME_ZONE),
          1,
          "door",
          null,
          `ticket:${id}`,
          RECEPTION,
          1 + (randomBytes(4).readUInt32BE(0) % 4294967295),
        ]
          .map(sql)
          .join(", ")});`,
      );
    }
  });
  const work = mkdtempSync(join(tmpdir(), "halte-seed-tickets-"));
  try {
    const file = join(work, "tickets.sql");
    writeFileSync(file, statements.join("\n"));
    wrangler(["d1", "execute", "DB", "--local", "--file", file]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(
    `  ticket queue: showers, ${TICKETS.length} tickets on ${day} (3 called, 3 waiting)\n`,
  );
}
