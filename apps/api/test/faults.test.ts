// Faults: for every write the API makes, D1 is made to fail at each statement in turn — a lone statement
// throws, or one statement of a `db.batch` is swapped for one that fails so real D1 rolls the batch back —
// and the database must then hold either nothing of the write or all of it, never a part.
import { env } from "cloudflare:workers";
import { aggregateVisitsByDay, serializeVisitAggregate } from "@halte/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ApiResponse,
  type Caller,
  callHandler,
  centreInput,
  givenCentre,
  givenPartner,
  partnerToken,
  signedIn,
} from "./helpers.js";
import { givenService } from "./visits-helpers.js";

/** A D1 binding that counts statements and fails the `failAt`-th one (1-based); null never fails. */
function faultyD1(real: D1Database, failAt: number | null, counter: { statements: number }): D1Database {
  const unwrapped = new WeakMap<object, D1PreparedStatement>();
  const injected = () => new Error("injected D1 failure");
  const next = () => ++counter.statements === failAt;
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      run: async () => {
        if (next()) throw injected();
        return statement.run();
      },
      all: async () => {
        if (next()) throw injected();
        return statement.all();
      },
      raw: async (options?: { columnNames?: boolean }) => {
        if (next()) throw injected();
        return statement.raw(options as { columnNames: true });
      },
      first: async (column?: string) => {
        if (next()) throw injected();
        return column === undefined ? statement.first() : statement.first(column);
      },
    } as unknown as D1PreparedStatement;
    unwrapped.set(proxy, statement);
    return proxy;
  };
  return {
    prepare: (sql: string) => wrap(real.prepare(sql)),
    batch: async (statements: D1PreparedStatement[]) => {
      const real_ = statements.map((statement) => {
        const inner = unwrapped.get(statement) ?? statement;
        // The failing member: real D1 runs the batch as one transaction and must undo the others.
        return next() ? real.prepare("INSERT INTO injected_fault_no_such_table VALUES (1)") : inner;
      });
      return real.batch(real_);
    },
    exec: (sql: string) => real.exec(sql),
    dump: () => real.dump(),
    withSession: () => real.withSession(),
  } as unknown as D1Database;
}

/** Columns written outside the request's own transaction on purpose (informational, after the answer). */
const informational: Record<string, string[]> = { api_tokens: ["last_used_at"] };

async function snapshot(): Promise<Map<string, string[]>> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'",
  ).all<{ name: string }>();
  const result = new Map<string, string[]>();
  for (const { name } of tables.results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
    const skip = informational[name] ?? [];
    result.set(
      name,
      rows.results
        .map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !skip.includes(column))))
        .sort(),
    );
  }
  return result;
}

/** What changed between two snapshots: rows gone and rows new, per table. */
function difference(before: Map<string, string[]>, after: Map<string, string[]>) {
  const changes: Record<string, { gone: number; added: number }> = {};
  for (const [table, rows] of after) {
    const old = new Set(before.get(table) ?? []);
    const now = new Set(rows);
    const gone = [...old].filter((row) => !now.has(row)).length;
    const added = [...now].filter((row) => !old.has(row)).length;
    if (gone > 0 || added > 0) changes[table] = { gone, added };
  }
  return changes;
}

type Write = { as?: Caller; method: string; path: string; body?: unknown };
const now = () => new Date().toISOString();
const schedule = {
  timeZone: "Europe/Paris",
  weekly: [{ weekday: 1, opensAt: "08:00", closesAt: "19:00" }],
  exceptions: [],
};
const consent = {
  givenAt: "2026-11-28T09:00:00Z",
  method: "verbal",
  scopes: ["store_contact", "share_with_partner"],
};

async function network() {
  const centreId = await givenCentre();
  const partnerId = await givenPartner(centreId);
  const serviceId = await givenService(centreId, partnerId, { name: "Douches" });
  return { centreId, partnerId, serviceId };
}

/** Each write as a user makes it, from fresh records (a failed attempt must not help the next). */
const writes: Record<string, () => Promise<Write>> = {
  "a tap with two uses": async () => {
    const { centreId, serviceId } = await network();
    return {
      as: await signedIn("reception", { centreId }),
      method: "POST",
      path: "/api/visits",
      body: { centreId, arrivedAt: now(), visitorCode: "C-1", uses: [{ serviceId }, { serviceId }] },
    };
  },
  "an offline batch of 40 taps": async () => {
    const { centreId, serviceId } = await network();
    const visits = Array.from({ length: 40 }, (_, i) => ({
      centreId,
      arrivedAt: now(),
      idempotencyKey: `tablet-1-${i}`,
      uses: [{ serviceId }],
    }));
    return {
      as: await signedIn("reception", { centreId }),
      method: "POST",
      path: "/api/visits/batch",
      body: { visits },
    };
  },
  "a service use": async () => {
    const { centreId, serviceId } = await network();
    return {
      as: await signedIn("reception", { centreId }),
      method: "POST",
      path: "/api/service-uses",
      body: { centreId, serviceId, usedAt: now() },
    };
  },
  "a referral with contact and consent, sent": async () => {
    const { centreId, partnerId } = await network();
    return {
      as: await signedIn("coordinator", { centreId }),
      method: "POST",
      path: "/api/referrals",
      body: { centreId, partnerId, need: "accommodation", contact: { name: "A. K." }, consent, send: true },
    };
  },
  "a partner accepting a referral": async () => {
    const { centreId, partnerId } = await network();
    const created = await callHandler("POST", "/api/referrals", {
      as: await signedIn("coordinator", { centreId }),
      body: JSON.stringify({ centreId, partnerId, need: "health", consent, send: true }),
    });
    return {
      as: await partnerToken(centreId, partnerId),
      method: "POST",
      path: `/api/referrals/${(created.body as { id: string }).id}/status`,
      body: { status: "accepted" },
    };
  },
  "a partner registered": async () => {
    const centreId = await givenCentre();
    return {
      as: await signedIn("coordinator", { centreId }),
      method: "POST",
      path: "/api/partners",
      body: { centreId, name: "Aurore", roles: ["service_provider"] },
    };
  },
  "a partner archived": async () => {
    const { centreId, partnerId } = await network();
    return {
      as: await signedIn("coordinator", { centreId }),
      method: "POST",
      path: `/api/partners/${partnerId}/archive`,
    };
  },
  "a service added": async () => {
    const { centreId, partnerId } = await network();
    return {
      as: await signedIn("coordinator", { centreId }),
      method: "POST",
      path: "/api/services",
      body: { centreId, organizationId: partnerId, name: "Café", category: "food", schedule },
    };
  },
  "a centre opened": async () => ({
    as: await signedIn("admin"),
    method: "POST",
    path: "/api/centres",
    body: centreInput(),
  }),
  "a staff account created": async () => ({
    as: await signedIn("admin"),
    method: "POST",
    path: "/api/users",
    body: {
      email: `new-${crypto.randomUUID()}@halte.test`,
      name: "N",
      role: "reception",
      centreId: await givenCentre(),
      password: "x".repeat(16),
    },
  }),
  "an account disabled": async () => {
    const target = await signedIn("reception", { centreId: await givenCentre() });
    return { as: await signedIn("admin"), method: "POST", path: `/api/users/${target.userId}/disable` };
  },
  "an account re-enabled": async () => {
    const target = await signedIn("reception", { centreId: await givenCentre() });
    await env.DB.prepare("UPDATE users SET disabled_at = ? WHERE id = ?")
      .bind(new Date().toISOString(), target.userId)
      .run();
    return { as: await signedIn("admin"), method: "POST", path: `/api/users/${target.userId}/enable` };
  },
  "an API token issued": async () => {
    const { centreId, partnerId } = await network();
    return {
      as: await signedIn("coordinator", { centreId }),
      method: "POST",
      path: `/api/partners/${partnerId}/tokens`,
      body: { name: "SI" },
    };
  },
  "an event recorded": async () => {
    const centreId = await givenCentre();
    return {
      as: await signedIn("coordinator", { centreId }),
      method: "POST",
      path: "/api/events",
      body: { centreId, kind: "surge", title: "Afflux", startsOn: "2026-11-01" },
    };
  },
  "a lesson contributed": async () => {
    const centreId = await givenCentre();
    return {
      as: await signedIn("coordinator", { centreId }),
      method: "POST",
      path: "/api/lessons",
      body: {
        centreId,
        type: "challenge",
        theme: "resources",
        title: "Douches saturées",
        statement: { context: "a", situation: "b", result: "c", cause: "d", recommendation: "e" },
        contributors: ["centre_team"],
        periodStart: "2026-11-01",
        periodEnd: "2026-11-30",
      },
    };
  },
  "the nightly retention purge": async () => {
    const admin = await signedIn("admin");
    // Whatever earlier attempts left past retention goes first, so this attempt's write is only its own.
    await callHandler("POST", "/api/jobs/retention-purge", {
      as: admin,
      body: JSON.stringify({ dryRun: false }),
    });
    const { centreId, partnerId } = await network();
    const arrivedAt = new Date(Date.now() - 30 * 31 * 86_400_000).toISOString();
    const visit = {
      id: crypto.randomUUID(),
      centreId,
      arrivedAt,
      createdAt: arrivedAt,
      updatedAt: arrivedAt,
      visitorCodeHash: "c".repeat(64),
      ageBand: null,
      gender: null,
      languages: [],
      firstVisit: null,
      idempotencyKey: null,
    };
    const [localDay, partial] = Object.entries(
      aggregateVisitsByDay([visit], [], { timeZone: "Europe/Paris" })[centreId] ?? {},
    )[0] ?? ["", null];
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO visits (id, centre_id, arrived_at, local_day, visitor_code_hash, languages, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, '[]', ?3, ?3)",
      ).bind(visit.id, centreId, arrivedAt, localDay, visit.visitorCodeHash),
      env.DB.prepare("INSERT INTO visit_rollups (centre_id, local_day, aggregate) VALUES (?1, ?2, ?3)").bind(
        centreId,
        localDay,
        partial ? serializeVisitAggregate(partial) : "",
      ),
    ]);
    // A referral closed long ago, with contact details and consent.
    const referral = await callHandler("POST", "/api/referrals", {
      as: await signedIn("coordinator", { centreId }),
      body: JSON.stringify({ centreId, partnerId, need: "legal", contact: { name: "A. K." }, consent }),
    });
    await env.DB.prepare("UPDATE referrals SET status = 'completed', closed_at = ?1 WHERE id = ?2")
      .bind(arrivedAt, (referral.body as { id: string }).id)
      .run();
    return { as: admin, method: "POST", path: "/api/jobs/retention-purge", body: { dryRun: false } };
  },
  "a sign-out": async () => {
    const user = await signedIn("observer", { centreId: await givenCentre() });
    return { as: user, method: "POST", path: "/api/auth/logout" };
  },
};

async function attempt(write: Write, failAt: number | null) {
  const counter = { statements: 0 };
  const response: ApiResponse = await callHandler(write.method, write.path, {
    ...(write.as ? { as: write.as } : {}),
    ...(write.body !== undefined ? { body: JSON.stringify(write.body) } : {}),
    bindings: { DB: faultyD1(env.DB, failAt, counter) },
  });
  return { response, statements: counter.statements };
}

const logged: string[] = [];
beforeAll(() => {
  for (const level of ["log", "warn", "error"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
  }
});
afterAll(() => vi.restoreAllMocks());

describe("a D1 failure at any statement of a write leaves all of it or none of it", () => {
  for (const [name, prepare] of Object.entries(writes)) {
    it(name, async () => {
      // A clean run says how many statements the write makes and what it changes.
      const cleanWrite = await prepare();
      const cleanBefore = await snapshot();
      const clean = await attempt(cleanWrite, null);
      expect(clean.response.status, JSON.stringify(clean.response.body)).toBeLessThan(300);
      const whole = difference(cleanBefore, await snapshot());
      expect(Object.keys(whole).length).toBeGreaterThan(0);

      for (let failAt = 1; failAt <= clean.statements; failAt++) {
        const write = await prepare();
        const before = await snapshot();
        const { response } = await attempt(write, failAt);
        const changed = difference(before, await snapshot());
        const label = `${name}: failure at statement ${failAt} of ${clean.statements} → ${response.status} ${JSON.stringify(changed)}`;
        if (response.status >= 500) {
          expect(response.headers.get("content-type"), label).toContain("application/problem+json");
        }
        // Nothing, or the same changes as the whole write (a failure after the commit, in a read).
        if (Object.keys(changed).length > 0) expect(changed, label).toEqual(whole);
        else expect(response.status, label).toBeGreaterThanOrEqual(500);
      }
    }, 120_000); // tens of fresh fixtures and snapshots each: generous under a loaded CI machine
  }
});

describe("the failures' logs", () => {
  it("name the failed query without the values it carried", () => {
    const failures = logged.filter(
      (line) => line.includes("injected D1 failure") || line.includes("Failed query"),
    );
    expect(failures.length).toBeGreaterThan(0);
    for (const line of logged) {
      expect(line).not.toContain("params:");
      expect(line).not.toContain("A. K.");
      expect(line).not.toContain('"C-1"');
    }
  });
});
