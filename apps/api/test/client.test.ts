import { exports } from "cloudflare:workers";
import { hc } from "hono/client";
import { describe, expect, it } from "vitest";
import type { AppType } from "../src/worker.js";
import { givenCentre, signedIn } from "./helpers.js";

// Partners written in TypeScript can use `hc<AppType>`: paths, inputs and outputs are typed from the routes.
// (The admin site uses a client generated from the OpenAPI document instead: docs/admin.md.)
const client = hc<AppType>("https://halte.test", {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(input, init),
});

describe("typed client", () => {
  it("calls the health route with typed paths and reads a typed body", async () => {
    const response = await client.api.health.$get();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.database.reachable).toBe(true);
  });

  it("sends typed input and reads a typed record", async () => {
    const centreId = await givenCentre();
    const reception = await signedIn("reception", { centreId });
    const response = await client.api.visits.$post(
      { json: { centreId, arrivedAt: "2026-11-28T08:03:00+01:00" } },
      { headers: reception.headers },
    );
    expect(response.status).toBe(201);
    if (response.status === 201) {
      const visit = await response.json();
      expect(visit.centreId).toBe(centreId);
    }
  });
});
