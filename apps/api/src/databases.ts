import { centres, createDb, type Db } from "@halte/db";
import { eq } from "drizzle-orm";
import { type Principal, principalCentres } from "./auth/principal.js";
import type { Env } from "./env.js";
import { ApiProblem } from "./problem.js";

/**
 * Which database a request's rows live in (docs/scale.md, "One database per centre").
 *
 * - **The directory** (`DB`): what must be known before the centre — centres, users, sessions, API tokens,
 *   partners, webhook secrets and endpoints, outbound deliveries, door devices, rate limits, job runs.
 * - **A centre's database** (the binding its directory row names, `centres.d1_binding`): everything about its
 *   people and their visits — services, visits, uses, roll-ups, referrals, consents, tickets, events, feedback,
 *   lessons, inbound receipts — plus a copy of its own centre row and its partners' rows, which its foreign
 *   keys point at.
 * - **The figures** (`FIGURES`, else the directory): the month partials the nightly run merges.
 *
 * Every database has the same migrations. On a single-database install every centre names `DB`, so
 * `dbFor(centreId)` is the directory itself and nothing changes.
 */
export class Databases {
  readonly directory: Db;
  readonly directoryD1: D1Database;
  readonly figures: Db;
  readonly figuresD1: D1Database;
  readonly #env: Env;

  constructor(env: Env) {
    this.#env = env;
    this.directoryD1 = env.DB;
    this.directory = createDb(env.DB);
    this.figuresD1 = env.FIGURES ?? env.DB;
    this.figures = this.figuresD1 === env.DB ? this.directory : createDb(this.figuresD1);
  }

  /** The binding a centre's rows live in, as its directory row names it; null for an unknown centre. */
  async bindingOf(centreId: string): Promise<string | null> {
    const held = bindingByCentre.get(centreId);
    if (held) return held;
    const [row] = await this.directory
      .select({ binding: centres.d1Binding })
      .from(centres)
      .where(eq(centres.id, centreId))
      .limit(1);
    if (!row) return null;
    // A centre's binding changes only through the offline move (docs/deploy.md), which redeploys the
    // Worker: every isolate starts afresh, so holding it for the isolate's life is safe.
    bindingByCentre.set(centreId, row.binding);
    return row.binding;
  }

  /** The D1 database of a binding the directory named: 503 when this Worker does not have it. */
  d1Named(binding: string): D1Database {
    if (binding === "DB") return this.#env.DB;
    const bound = (this.#env as unknown as Record<string, unknown>)[binding];
    if (!isD1(bound)) {
      throw new ApiProblem("unavailable", "This centre's database is not bound to the Worker");
    }
    return bound;
  }

  /**
   * Whether a binding may hold a new centre's rows: `DB`, or a D1 database this Worker has that is not the
   * figures database (`FIGURES` holds the figures across centres only). What `POST /api/centres` checks `d1Binding` with.
   */
  canHoldCentre(binding: string): boolean {
    if (binding === "DB") return true;
    if (binding === "FIGURES") return false;
    return isD1((this.#env as unknown as Record<string, unknown>)[binding]);
  }

  /** The drizzle client of a binding (the directory's own client for `DB`). */
  dbNamed(binding: string): Db {
    if (binding === "DB") return this.directory;
    let db = clients.get(binding);
    const d1 = this.d1Named(binding);
    if (!db || clientD1.get(db) !== d1) {
      db = createDb(d1);
      clients.set(binding, db);
      clientD1.set(db, d1);
    }
    return db;
  }

  /** Whether the month partials have a database of their own (`FIGURES` bound, not the directory). */
  get figuresApart(): boolean {
    return this.figuresD1 !== this.directoryD1;
  }

  /** The centre's database: 404 for a centre the directory does not know. */
  async dbFor(centreId: string): Promise<Db> {
    return this.dbNamed(await this.requireBinding(centreId));
  }

  /** The centre's raw D1 database (for prepared statements and batches of raw SQL). */
  async d1For(centreId: string): Promise<D1Database> {
    return this.d1Named(await this.requireBinding(centreId));
  }

  /** Whether the centre's rows share the directory's database (a single-database install). */
  async sharesDirectory(centreId: string): Promise<boolean> {
    return (await this.bindingOf(centreId)) === "DB";
  }

  /**
   * The distinct databases holding the given centres (or every centre the directory lists, archived ones
   * included, for `"all"`), each with the centres it holds: what a cross-centre read or a search by record
   * id walks.
   */
  async databasesOf(
    centreIds: readonly string[] | "all",
  ): Promise<Array<{ db: Db; d1: D1Database; centreIds: string[] }>> {
    const rows =
      centreIds === "all"
        ? await this.directory.select({ id: centres.id, binding: centres.d1Binding }).from(centres)
        : await Promise.all(centreIds.map(async (id) => ({ id, binding: await this.bindingOf(id) })));
    const byBinding = new Map<string, string[]>();
    for (const row of rows) {
      if (!row.binding) continue;
      bindingByCentre.set(row.id, row.binding);
      const held = byBinding.get(row.binding) ?? [];
      held.push(row.id);
      byBinding.set(row.binding, held);
    }
    // A single-database install with no centre yet still has its one database to read.
    if (centreIds === "all" && byBinding.size === 0) byBinding.set("DB", []);
    return [...byBinding].map(([binding, ids]) => ({
      db: this.dbNamed(binding),
      d1: this.d1Named(binding),
      centreIds: ids,
    }));
  }

  /**
   * The databases a caller can reach: its one centre's for a centre-bound caller, those of every centre its
   * organisation works with for a partner caller (`principalCentres`), every centre's for an admin or
   * coordinator of all centres. What a look-up by record id walks (`findInReachable`).
   */
  async reachableBy(principal: Principal): Promise<Array<{ db: Db; d1: D1Database; centreIds: string[] }>> {
    return this.databasesOf(principalCentres(principal) ?? "all");
  }

  /**
   * The first database (of those the caller reaches) where `lookup` finds something, with that database:
   * a record named by id alone (a referral, an event, a ticket) is searched where the caller may look, and
   * the write that follows goes to the database it was found in. Null when none has it.
   */
  async findInReachable<T>(
    principal: Principal,
    lookup: (db: Db) => Promise<T | null | undefined>,
  ): Promise<{ found: T; db: Db; d1: D1Database } | null> {
    for (const held of await this.reachableBy(principal)) {
      const found = await lookup(held.db);
      if (found !== null && found !== undefined) return { found, db: held.db, d1: held.d1 };
    }
    return null;
  }

  async requireBinding(centreId: string): Promise<string> {
    const binding = await this.bindingOf(centreId);
    if (!binding) throw new ApiProblem("not_found", "No such centre");
    return binding;
  }
}

/** Centre → binding, per isolate (see `bindingOf`). */
const bindingByCentre = new Map<string, string>();
const clients = new Map<string, Db>();
const clientD1 = new WeakMap<Db, D1Database>();

function isD1(value: unknown): value is D1Database {
  return (
    typeof (value as D1Database | undefined)?.prepare === "function" &&
    typeof (value as D1Database).batch === "function"
  );
}
