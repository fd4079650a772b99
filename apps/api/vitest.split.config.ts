import { workersTestConfig } from "./vitest.workers.js";

// The suites that call every operation, again with one database per centre: each centre a test makes lands
// in CENTRE_A, CENTRE_B or CENTRE_C (test/helpers.ts `givenCentre`), the directory in DB.
export default workersTestConfig({
  layout: "split",
  include: ["test/openapi-conformance.test.ts", "test/authorization-matrix.test.ts"],
});
