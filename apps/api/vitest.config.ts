import { workersTestConfig } from "./vitest.workers.js";

// Integration tests in workerd with real local D1 databases; every centre in the directory's database (a
// single-database install) unless a test puts it in its own (test/split-*.test.ts).
export default workersTestConfig({ layout: "single", include: ["test/**/*.test.ts"] });
