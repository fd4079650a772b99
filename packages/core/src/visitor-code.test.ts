import { createHmac, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashVisitorCode, importVisitorCodeKey, normaliseVisitorCode } from "./visitor-code.js";

const keyA = randomBytes(32).toString("base64");
const keyB = randomBytes(32).toString("base64");

describe("pseudonymous visitor codes", () => {
  it("is HMAC-SHA-256 of the normalised code, as any other implementation computes it", async () => {
    const key = await importVisitorCodeKey(keyA);
    const expected = createHmac("sha256", Buffer.from(keyA, "base64")).update("A0042").digest("hex");
    expect(await hashVisitorCode("a-0042 ", key)).toBe(expected);
  });

  it("counts the same card once however it was typed", async () => {
    const key = await importVisitorCodeKey(keyA);
    const hashes = await Promise.all(
      ["A-0042", "a0042", " A 0042", "A.0042"].map((c) => hashVisitorCode(c, key)),
    );
    expect(new Set(hashes).size).toBe(1);
  });

  it("never contains the raw code, and differs between centres", async () => {
    await fc.assert(
      // 8+ characters: a shorter hex-like code can appear inside any 64-character hash by chance.
      fc.asyncProperty(fc.stringMatching(/^[A-Z0-9]{8,12}$/), async (code) => {
        const [a, b] = await Promise.all([
          hashVisitorCode(code, await importVisitorCodeKey(keyA)),
          hashVisitorCode(code, await importVisitorCodeKey(keyB)),
        ]);
        expect(a).toMatch(/^[0-9a-f]{64}$/);
        expect(a).not.toContain(code.toLowerCase());
        expect(a).not.toBe(b);
      }),
      { numRuns: 50 },
    );
  });

  it("refuses a key shorter than 32 bytes", async () => {
    await expect(importVisitorCodeKey(randomBytes(16).toString("base64"))).rejects.toThrow(/32 bytes/);
  });

  it("normalises width, case and separators", () => {
    expect(normaliseVisitorCode("ａ-００４２")).toBe("A0042");
  });
});
