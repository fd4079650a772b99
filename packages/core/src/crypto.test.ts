import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  base64ToBytes,
  bytesToBase64,
  derivePasswordHash,
  PASSWORD_HASH,
  timingSafeEqual,
  verifyPasswordHash,
} from "./crypto.js";
import { deriveVisitorCodeKey, hashVisitorCode, importVisitorCodeKey } from "./visitor-code.js";

describe("base64", () => {
  it("writes what Node's Buffer writes, and reads it back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = bytesToBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64"));
        expect([...base64ToBytes(text)]).toEqual([...bytes]);
      }),
    );
  });

  it.each(["a", "ab c", "ab-_", "abc=d", "é"])("refuses %j", (text) => {
    expect(() => base64ToBytes(text)).toThrow(RangeError);
  });
});

describe("timingSafeEqual", () => {
  it("is byte equality, whatever the lengths", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        expect(timingSafeEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(timingSafeEqual(a, a.slice())).toBe(true);
      }),
    );
  });
});

describe("the password hash", () => {
  // Written by node:crypto's pbkdf2Sync('first admin password', salt, 100000, 32, 'sha256'): the CLI's
  // old recipe, so hashes made before this module existed keep verifying.
  const fromNode = {
    hash: "g5il1szJbHB/6dJSIwZyP1Nwl0HRBY23V8alpUpmv2w=",
    salt: "hlrJKrxMeWDJkkzPOTmfzA==",
    iterations: 100_000,
  };

  it("derives node:crypto's PBKDF2-SHA-256 bytes under the same salt", async () => {
    expect(PASSWORD_HASH).toEqual({ iterations: 100_000, saltBytes: 16, keyBits: 256 });
    expect(await derivePasswordHash("first admin password", base64ToBytes(fromNode.salt))).toEqual(fromNode);
  });

  it("verifies the right password only", async () => {
    expect(await verifyPasswordHash("first admin password", fromNode)).toBe(true);
    expect(await verifyPasswordHash("first admin passworD", fromNode)).toBe(false);
    const quick = await derivePasswordHash("pw", new Uint8Array(16), 1000);
    expect(quick.iterations).toBe(1000);
    expect(await verifyPasswordHash("pw", quick)).toBe(true);
  });
});

describe("deriveVisitorCodeKey", () => {
  it("is HMAC-SHA-256(secret, 'visitor-code:' + centre), as the seed used to compute it", async () => {
    const secret = Buffer.alloc(32, 7);
    const expected = createHmac("sha256", secret).update("visitor-code:halte").digest();
    expect(await deriveVisitorCodeKey(secret.toString("base64"), "halte")).toBe(expected.toString("base64"));
    const key = await importVisitorCodeKey(expected.toString("base64"));
    expect(await hashVisitorCode("hj-00042", key)).toBe(
      createHmac("sha256", expected).update("HJ00042").digest("hex"),
    );
  });

  it("gives two centres different keys from one secret", async () => {
    const secret = Buffer.alloc(32, 1).toString("base64");
    expect(await deriveVisitorCodeKey(secret, "a")).not.toBe(await deriveVisitorCodeKey(secret, "b"));
  });
});
