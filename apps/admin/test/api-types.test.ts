import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateApiTypes, generatedTypesFile } from "../scripts/api-types.js";

// The admin site's API types are generated from the Worker's OpenAPI document and checked in; an API change
// that is not regenerated (and so not typechecked against the pages) fails here.
describe("generated API types", () => {
  it("match the Worker's live OpenAPI document", async () => {
    const checkedIn = readFileSync(generatedTypesFile, "utf8");
    const fresh = await generateApiTypes();
    expect(
      checkedIn === fresh,
      "src/api-schema.gen.ts is stale: run `pnpm --filter @halte/admin api-types`",
    ).toBe(true);
  });
});
