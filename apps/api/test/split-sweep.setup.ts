import { afterAll, expect } from "vitest";
import { misplacedRows } from "./layout-sweep.js";

// In the split layout, after each suite: every row its calls wrote about a centre's people and visits is in
// that centre's own database, none in the directory or in another centre's.
afterAll(async () => {
  expect(await misplacedRows()).toEqual([]);
});
