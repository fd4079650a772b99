import { workersTestConfig } from "./vitest.workers.js";
export default workersTestConfig({ layout: "split", include: ["test/**/*.test.ts"] });
