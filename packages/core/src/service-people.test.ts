import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KEY_SPACE } from "./cell-key.js";
import { addServicePeople, ServicePeopleAccumulator } from "./service-people.js";

const attributesArb = fc.record({
  ageBand: fc.option(fc.constantFrom("0-4", "12-17", "18-59", "60+")),
  gender: fc.option(fc.constantFrom("female", "male", "other")),
  languages: fc.array(fc.constantFrom("ar", "fr", "prs", "ti", "en"), { maxLength: 3 }),
});
/** Who used a service: some uses, each with its visit's attributes (or none) and a record key. */
const peopleArb = fc
  .array(
    fc.record({
      attributes: fc.option(attributesArb, { nil: undefined }),
      uses: fc.integer({ min: 1, max: 4 }),
      key: fc.integer({ min: 0, max: KEY_SPACE - 1 }),
    }),
    { maxLength: 12 },
  )
  .map((uses) => {
    const accumulator = new ServicePeopleAccumulator();
    for (const use of uses) accumulator.add(use.attributes, use.uses, use.key);
    return accumulator.finish();
  });

describe("who used a service, added up", () => {
  it("is what the accumulator gives for both, canonical order included", () => {
    fc.assert(
      fc.property(peopleArb, peopleArb, (a, b) => {
        const accumulator = new ServicePeopleAccumulator();
        accumulator.absorb(a);
        accumulator.absorb(b);
        const expected = accumulator.finish();
        const added = addServicePeople(a, b);
        expect(added).toEqual(expected);
        expect(JSON.stringify(added)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 200 },
    );
  });
});
