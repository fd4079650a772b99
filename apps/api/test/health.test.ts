import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /api/health", () => {
  it("reports D1 reachable and the last migration applied, without authentication", async () => {
    const response = await exports.default.fetch("http://halte.test/api/health");
    expect(response.status).toBe(200);
    const body = await response.json<{
      status: string;
      database: { reachable: boolean; migration: string };
    }>();
    expect(body.status).toBe("ok");
    expect(body.database.reachable).toBe(true);
    expect(body.database.migration).toMatch(/^\d{4}_.+\.sql$/);
  });

  it("answers an unknown route with problem details", async () => {
    const response = await exports.default.fetch("http://halte.test/api/nowhere");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 404, code: "not_found", instance: "/api/nowhere" });
  });
});
