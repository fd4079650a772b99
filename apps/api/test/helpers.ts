import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { CentreInput, Role } from "@halte/core";
import {
  apiTokens,
  centres,
  copyCentreRow,
  copyPartnerRow,
  createDb,
  type Db,
  partners,
  users,
} from "@halte/db";
import { eq } from "drizzle-orm";
import { randomSecret, sha256Hex } from "../src/auth/crypto.js";
import { TOKEN_PREFIX } from "../src/auth/middleware.js";
import { hashPassword } from "../src/auth/password.js";
import { createSession } from "../src/auth/sessions.js";
import type { Env as WorkerEnv } from "../src/env.js";
import { uuidv7 } from "../src/ids.js";
import worker from "../src/worker.js";

export const db = createDb(env.DB);

const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" }));

/** A centre's input as the Halte de Jour would send it; `slug` is made unique per call. */
export function centreInput(overrides: Partial<CentreInput> = {}): CentreInput {
  return {
    name: "La Halte de Jour",
    slug: `halte-${randomSecret(6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "x")}`,
    address: "Porte de la Chapelle, 75018 Paris",
    openingHours: { timeZone: "Europe/Paris", weekly: everyDay, exceptions: [] },
    dailyCapacity: 100,
    disclosureThreshold: 5,
    perturbationMaxNoise: 2,
    retentionMonths: 24,
    languages: ["fr", "en", "ar", "prs", "ps", "ti"],
    doorLanguages: [],
    ...overrides,
  };
}

/**
 * The test pool's layout (vitest.workers.ts): "single" puts every centre in the directory's database;
 * "split" gives each new centre its own database, round robin over the pool's three.
 */
export const layout: "single" | "split" = env.TEST_LAYOUT === "split" ? "split" : "single";
const SPLIT_BINDINGS = ["CENTRE_A", "CENTRE_B", "CENTRE_C"] as const;
let nextBinding = 0;

/** The drizzle client of the database a centre's own rows live in, as its directory row names it. */
export async function centreDbOf(centreId: string): Promise<Db> {
  const [row] = await db.select({ binding: centres.d1Binding }).from(centres).where(eq(centres.id, centreId));
  if (!row) throw new Error(`no centre ${centreId} in the directory`);
  return row.binding === "DB" ? db : createDb(env[row.binding as (typeof SPLIT_BINDINGS)[number]]);
}

/**
 * Inserts a centre straight into D1 (not through the API) so tests of other routes start from one. In the
 * split layout the directory row names the centre's own database, which gets a copy of the row.
 */
export async function givenCentre(overrides: Partial<CentreInput> = {}): Promise<string> {
  const binding = layout === "split" ? (SPLIT_BINDINGS[nextBinding++ % SPLIT_BINDINGS.length] ?? "DB") : "DB";
  return givenCentreIn(binding, overrides);
}

/**
 * A centre whose people and visits live in `binding`, as `npm run centre:add` leaves it: its directory row
 * names the binding, and that database holds a copy of the row (its foreign keys point at it). `DB`: a
 * centre of a single-database install.
 */
export async function givenCentreIn(
  binding: "DB" | (typeof SPLIT_BINDINGS)[number],
  overrides: Partial<CentreInput> = {},
): Promise<string> {
  const id = uuidv7(new Date());
  const input = centreInput(overrides);
  const at = new Date().toISOString();
  const row = {
    id,
    ...input,
    timeZone: input.openingHours.timeZone,
    createdAt: at,
    updatedAt: at,
    archivedAt: null,
    d1Binding: binding,
  };
  await db.insert(centres).values(row);
  if (binding !== "DB") await copyCentreRow(createDb(env[binding]), row);
  return id;
}

/** A partner of a centre: the directory's row, and its copy in the centre's own database when it has one. */
export async function givenPartner(centreId: string, name = "Samu social"): Promise<string> {
  const id = uuidv7(new Date());
  const at = new Date().toISOString();
  const row = {
    id,
    centreId,
    name,
    roles: ["service_provider", "referral_destination"] as ("service_provider" | "referral_destination")[],
    createdAt: at,
    updatedAt: at,
    archivedAt: null,
  };
  await db.insert(partners).values(row);
  const home = await centreDbOf(centreId);
  if (home !== db) await copyPartnerRow(home, row);
  return id;
}

export interface Caller {
  headers: Record<string, string>;
  userId: string;
}

/** A signed-in staff member: a user row and a live session, as the login route would create them. */
export async function signedIn(
  role: Role,
  scope: { centreId?: string | null; partnerId?: string | null; password?: string } = {},
): Promise<Caller & { email: string }> {
  const id = uuidv7(new Date());
  const email = `${role}-${id}@halte.test`;
  const password = await hashPassword(scope.password ?? "correct horse battery staple", 1000);
  const at = new Date().toISOString();
  await db.insert(users).values({
    id,
    email,
    name: `Test ${role}`,
    role,
    centreId: scope.centreId ?? null,
    partnerId: scope.partnerId ?? null,
    passwordHash: password.hash,
    passwordSalt: password.salt,
    passwordIterations: password.iterations,
    createdAt: at,
    updatedAt: at,
  });
  const session = await createSession(db, id, new Date());
  await session.statement;
  return {
    userId: id,
    email,
    headers: { cookie: `halte_session=${session.cookie}`, "x-csrf-token": session.csrfToken },
  };
}

/** A partner's API token, scoped to one organisation. */
export async function partnerToken(centreId: string, partnerId: string): Promise<Caller> {
  const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
  const id = uuidv7(new Date());
  await db.insert(apiTokens).values({
    id,
    tokenHash: await sha256Hex(token),
    centreId,
    partnerId,
    name: "test token",
    createdAt: new Date().toISOString(),
  });
  return { userId: id, headers: { authorization: `Bearer ${token}` } };
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls the Worker through its own fetch handler, as a browser or partner system would. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them
export async function api<T = any>(
  method: string,
  path: string,
  options: { as?: Caller; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.as?.headers, ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await exports.default.fetch(`https://halte.test${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // leave the text as is
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/**
 * Calls the Worker's own fetch handler directly, optionally with other bindings (a D1 wrapped to fail, say),
 * and waits for its background work. Suites that make thousands of calls use it: the test pool's self
 * binding behind `api` gets slower the more calls a file makes (~9 ms at first, ~400 ms after 1,000), while
 * the handler stays ~1 ms. The body is sent as given; `content-type` defaults to JSON when there is one.
 */
export async function callHandler(
  method: string,
  path: string,
  options: {
    as?: Caller;
    body?: string;
    headers?: Record<string, string>;
    bindings?: Partial<WorkerEnv>;
  } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.as?.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  Object.assign(headers, options.headers);
  const ctx = createExecutionContext();
  const request = new Request(`https://halte.test${path}`, { method, headers, body: options.body });
  const response = await worker.fetch(
    request as Parameters<typeof worker.fetch>[0],
    { ...env, ...options.bindings } as never,
    ctx,
  );
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // left as text
  }
  return { status: response.status, headers: response.headers, body };
}

/**
 * A D1 binding that counts round trips (a lone statement is one, a whole `batch` is one) and, when given
 * `beforeBatch`, lets a test act just before a batch runs — with the SQL of its statements — to play
 * another client writing in between.
 */
export function countingD1(
  real: D1Database,
  count: { roundTrips: number },
  beforeBatch?: (sql: string[]) => Promise<void>,
): D1Database {
  const unwrapped = new WeakMap<object, D1PreparedStatement>();
  const sqlOf = new WeakMap<object, string>();
  const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const once =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
      (...args: A) => {
        count.roundTrips++;
        return call(...args);
      };
    const proxy = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values), sql),
      run: once(() => statement.run()),
      all: once(() => statement.all()),
      raw: once((options?: { columnNames?: boolean }) => statement.raw(options as { columnNames: true })),
      first: once((column?: string) => (column === undefined ? statement.first() : statement.first(column))),
    } as unknown as D1PreparedStatement;
    unwrapped.set(proxy, statement);
    sqlOf.set(proxy, sql);
    return proxy;
  };
  return {
    prepare: (sql: string) => wrap(real.prepare(sql), sql),
    batch: async (statements: D1PreparedStatement[]) => {
      count.roundTrips++;
      await beforeBatch?.(statements.map((statement) => sqlOf.get(statement) ?? ""));
      return real.batch(statements.map((statement) => unwrapped.get(statement) ?? statement));
    },
    exec: (sql: string) => real.exec(sql),
    dump: () => real.dump(),
    withSession: () => real.withSession(),
  } as unknown as D1Database;
}
