import { workersTestConfig } from "./vitest.workers.js";

// Suites that reach the data only through the API, again with one database per centre: each centre a test
// makes lands in CENTRE_A, CENTRE_B or CENTRE_C (test/helpers.ts `givenCentre`), the directory in DB, and
// after each suite no row about a centre's people may sit outside its centre's database
// (test/split-sweep.setup.ts). Every operation (conformance), every role × route (the matrix), the fuzzer,
// the differencing attacker, and the public directory. Suites that read or write tables directly assume one
// database and run in vitest.config.ts only.
export default workersTestConfig({
  layout: "split",
  include: [
    "test/openapi-conformance.test.ts",
    "test/authorization-matrix.test.ts",
    "test/fuzz.test.ts",
    "test/disclosure-attack.test.ts",
    "test/public.test.ts",
    "test/privacy-logs.test.ts",
    "test/implausible-dates.test.ts",
    "test/partners-archive.test.ts",
    "test/webhooks-outbound.test.ts",
    "test/centre-bound-admin.test.ts",
  ],
});
