import { describe, expect, it } from "vitest";
import {
  importWebhookKey,
  signWebhook,
  verifyWebhook,
  webhookSecretBytes,
  webhookSecretFromBytes,
} from "./webhook-signature.js";

// The test vector published with the Standard Webhooks specification.
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const timestamp = 1614265330;
const body = '{"test": 2432232314}';
const expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const at = new Date(timestamp * 1000);
const headers = (signature: string | null, overrides: Partial<{ id: string; timestamp: string }> = {}) => ({
  id: overrides.id ?? id,
  timestamp: overrides.timestamp ?? String(timestamp),
  signature,
});

describe("Standard Webhooks signatures", () => {
  it("signs the specification's test vector", async () => {
    expect(await signWebhook([secret], { id, timestamp, body })).toBe(expected);
  });

  it("accepts the vector, among other signatures and versions", async () => {
    const result = await verifyWebhook(headers(`v1a,xyz v1,AAAA ${expected}`), body, [secret], at);
    expect(result).toEqual({ ok: true, value: { id, timestamp, secretIndex: 0 } });
  });

  it("says which secret matched during a rotation", async () => {
    const fresh = webhookSecretFromBytes(new Uint8Array(32).fill(7));
    const result = await verifyWebhook(headers(expected), body, [fresh, secret], at);
    expect(result.ok && result.value.secretIndex).toBe(1);
  });

  it.each([
    ["a tampered body", headers(expected), '{"test": 2432232315}', at, "no_matching_signature"],
    ["a tampered id", headers(expected, { id: "msg_other" }), body, at, "no_matching_signature"],
    ["a missing signature header", headers(null), body, at, "missing_header"],
    ["a malformed signature header", headers("g0hM9SsE"), body, at, "malformed_signature"],
    ["a signature that is not base64", headers("v1,@@@"), body, at, "malformed_signature"],
    ["a non-numeric timestamp", headers(expected, { timestamp: "yesterday" }), body, at, "invalid_timestamp"],
    [
      "a timestamp 5 min 1 s old",
      headers(expected),
      body,
      new Date(at.getTime() + 301_000),
      "timestamp_too_old",
    ],
    [
      "a timestamp 5 min 1 s ahead",
      headers(expected),
      body,
      new Date(at.getTime() - 301_000),
      "timestamp_too_new",
    ],
  ] as const)("refuses %s", async (_name, given, payload, now, code) => {
    const result = await verifyWebhook(given, payload, [secret], now);
    expect(result.ok ? "ok" : result.error.code).toBe(code);
  });

  it("accepts a timestamp exactly 5 minutes off either way", async () => {
    for (const shift of [-300_000, 300_000]) {
      const result = await verifyWebhook(headers(expected), body, [secret], new Date(at.getTime() + shift));
      expect(result.ok).toBe(true);
    }
  });

  it("refuses a wrong secret", async () => {
    const other = webhookSecretFromBytes(new Uint8Array(24).fill(1));
    const result = await verifyWebhook(headers(expected), body, [other], at);
    expect(result.ok ? "ok" : result.error.code).toBe("no_matching_signature");
  });

  it("reads secrets with or without the prefix and refuses short ones", () => {
    expect(webhookSecretBytes(secret)?.length).toBe(24);
    expect(webhookSecretBytes(secret.slice(6))?.length).toBe(24);
    expect(webhookSecretBytes("whsec_c2hvcnQ=")).toBeNull();
    expect(() => webhookSecretFromBytes(new Uint8Array(8))).toThrow(RangeError);
  });

  it("verifies with a non-extractable key imported once, and tells which secret matched", async () => {
    const key = await importWebhookKey(secret);
    expect(key?.extractable).toBe(false);
    const other = webhookSecretFromBytes(new Uint8Array(24).fill(1));
    const result = await verifyWebhook(headers(expected), body, [other, key as CryptoKey], at);
    expect(result).toEqual({ ok: true, value: { id, timestamp, secretIndex: 1 } });
    const wrong = await verifyWebhook(
      headers(expected),
      body,
      [(await importWebhookKey(other)) as CryptoKey],
      at,
    );
    expect(wrong.ok ? "ok" : wrong.error.code).toBe("no_matching_signature");
    expect(await importWebhookKey("not a secret")).toBeNull();
  });
});
