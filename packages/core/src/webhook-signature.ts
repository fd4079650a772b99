import { base64ToBytes, bytesToBase64, timingSafeEqual } from "./crypto.js";
import { err, ok, type Result } from "./result.js";

/**
 * Standard Webhooks 1.0 signing and verification (https://www.standardwebhooks.com). A message is signed
 * with HMAC-SHA-256 over `{webhook-id}.{webhook-timestamp}.{raw body}`; the `webhook-signature` header
 * carries one or more space-separated `v1,<base64>` signatures so a sender can sign with an old and a new
 * secret while a rotation overlaps. Secrets are `whsec_` followed by base64 bytes. Everything here is pure
 * and async (WebCrypto): the secrets and the clock come in as arguments.
 */

/** How far a `webhook-timestamp` may be from the receiver's clock, either way, in seconds. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** The prefix of a Standard Webhooks secret. */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** The headers of a signed message, as received (any may be missing). */
export interface WebhookHeaders {
  readonly id: string | null | undefined;
  readonly timestamp: string | null | undefined;
  readonly signature: string | null | undefined;
}

/** Why a message was refused. Each code is stable; `message` is for people. */
export type WebhookVerificationError =
  | { readonly code: "missing_header"; readonly header: string; readonly message: string }
  | { readonly code: "invalid_timestamp"; readonly message: string }
  | { readonly code: "timestamp_too_old"; readonly message: string }
  | { readonly code: "timestamp_too_new"; readonly message: string }
  | { readonly code: "malformed_signature"; readonly message: string }
  | { readonly code: "no_matching_signature"; readonly message: string }
  | { readonly code: "no_secret"; readonly message: string };

/** What a verified message is known by. `secretIndex` says which of the given secrets signed it. */
export interface VerifiedWebhook {
  readonly id: string;
  readonly timestamp: number;
  readonly secretIndex: number;
}

const encoder = new TextEncoder();

/** Base64 from outside (a secret, a presented signature): `null` rather than a throw when it is not. */
function decodeBase64(base64: string): Uint8Array<ArrayBuffer> | null {
  try {
    return base64ToBytes(base64);
  } catch {
    return null;
  }
}

/**
 * Turns random bytes into a Standard Webhooks secret (`whsec_` + base64). The bytes come from the caller
 * (`crypto.getRandomValues(new Uint8Array(32))`): core draws no randomness itself. At least 24 bytes are
 * required (the reference libraries use 24 to 64).
 *
 * @example
 * const secret = webhookSecretFromBytes(crypto.getRandomValues(new Uint8Array(32)));
 * secret.startsWith("whsec_"); // true
 */
export function webhookSecretFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 24) throw new RangeError("A webhook secret needs at least 24 random bytes");
  return `${WEBHOOK_SECRET_PREFIX}${bytesToBase64(bytes)}`;
}

/**
 * The key bytes of a `whsec_…` secret, or `null` if it is not one (wrong prefix, not base64, under 24
 * bytes). A secret without the prefix is accepted too, as the reference libraries do.
 *
 * @example
 * webhookSecretBytes("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?.length; // 24
 * webhookSecretBytes("not a secret"); // null
 */
export function webhookSecretBytes(secret: string): Uint8Array<ArrayBuffer> | null {
  const base64 = secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? secret.slice(WEBHOOK_SECRET_PREFIX.length)
    : secret;
  const bytes = decodeBase64(base64);
  return bytes !== null && bytes.length >= 24 ? bytes : null;
}

/**
 * Imports a `whsec_…` secret as a non-extractable HMAC-SHA-256 key that can only sign (and so verify, by
 * comparing signatures): a receiver can keep it in memory between messages without the secret's bytes being
 * readable back from it. `null` if it is not a webhook secret.
 *
 * @example
 * const key = await importWebhookKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
 * key?.extractable; // false
 */
export async function importWebhookKey(secret: string): Promise<CryptoKey | null> {
  const bytes = webhookSecretBytes(secret);
  if (bytes === null) return null;
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

async function hmac(
  key: Uint8Array<ArrayBuffer> | CryptoKey,
  id: string,
  timestamp: string,
  body: Uint8Array | string,
) {
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const payload = typeof body === "string" ? encoder.encode(body) : body;
  const message = new Uint8Array(prefix.length + payload.length);
  message.set(prefix, 0);
  message.set(payload, prefix.length);
  const cryptoKey =
    key instanceof Uint8Array
      ? await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      : key;
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, message));
}

/**
 * Signs a message the Standard Webhooks way and returns the `webhook-signature` header value: one
 * `v1,<base64>` per secret, space-separated (give the old and the new secret during a rotation). `body`
 * must be the exact bytes sent. Throws on a secret that is not a `whsec_` secret (a bug, not an input).
 *
 * @example
 * const signature = await signWebhook(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], {
 *   id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: '{"test": 2432232314}',
 * });
 * // "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
 */
export async function signWebhook(
  secrets: readonly string[],
  message: { readonly id: string; readonly timestamp: number; readonly body: Uint8Array | string },
): Promise<string> {
  if (secrets.length === 0) throw new RangeError("signWebhook needs at least one secret");
  const signatures: string[] = [];
  for (const secret of secrets) {
    const key = webhookSecretBytes(secret);
    if (key === null) throw new RangeError("Not a webhook secret (expected whsec_ + base64 of ≥ 24 bytes)");
    signatures.push(
      `v1,${bytesToBase64(await hmac(key, message.id, String(message.timestamp), message.body))}`,
    );
  }
  return signatures.join(" ");
}

/**
 * Verifies a received message before its body is parsed: the three headers are present, the timestamp is
 * Unix seconds within `toleranceSeconds` (default 5 minutes) of `now` in either direction, and at least one
 * `v1` signature of the header matches one of `secrets` (compared in constant time; other versions are
 * ignored, as the specification asks). `body` must be the raw bytes received, not a re-serialised JSON.
 * A secret may also be given as a key from `importWebhookKey` (kept in memory between messages).
 * Returns which secret matched so a caller can tell when a partner still signs with a secret being rotated out.
 *
 * @example
 * const result = await verifyWebhook(
 *   { id: req.headers.get("webhook-id"), timestamp: req.headers.get("webhook-timestamp"),
 *     signature: req.headers.get("webhook-signature") },
 *   new Uint8Array(await req.arrayBuffer()), [partnerSecret], new Date());
 * if (!result.ok) return new Response(result.error.message, { status: 401 });
 */
export async function verifyWebhook(
  headers: WebhookHeaders,
  body: Uint8Array | string,
  secrets: readonly (string | CryptoKey)[],
  now: Date,
  toleranceSeconds: number = WEBHOOK_TOLERANCE_SECONDS,
): Promise<Result<VerifiedWebhook, WebhookVerificationError>> {
  for (const [name, value] of [
    ["webhook-id", headers.id],
    ["webhook-timestamp", headers.timestamp],
    ["webhook-signature", headers.signature],
  ] as const) {
    if (value === null || value === undefined || value.trim() === "") {
      return err({ code: "missing_header", header: name, message: `The ${name} header is missing` });
    }
  }
  const id = (headers.id ?? "").trim();
  const timestampText = (headers.timestamp ?? "").trim();
  if (!/^\d{1,12}$/.test(timestampText)) {
    return err({ code: "invalid_timestamp", message: "webhook-timestamp must be Unix time in seconds" });
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (timestamp < nowSeconds - toleranceSeconds) {
    return err({ code: "timestamp_too_old", message: "webhook-timestamp is too old" });
  }
  if (timestamp > nowSeconds + toleranceSeconds) {
    return err({ code: "timestamp_too_new", message: "webhook-timestamp is too far in the future" });
  }

  const presented: Uint8Array[] = [];
  for (const part of (headers.signature ?? "").trim().split(/\s+/)) {
    const comma = part.indexOf(",");
    if (comma <= 0) {
      return err({ code: "malformed_signature", message: "Each signature must read version,base64" });
    }
    if (part.slice(0, comma) !== "v1") continue;
    const bytes = decodeBase64(part.slice(comma + 1));
    if (bytes === null) {
      return err({ code: "malformed_signature", message: "A v1 signature is not valid base64" });
    }
    presented.push(bytes);
  }
  if (presented.length === 0) {
    return err({ code: "no_matching_signature", message: "No v1 signature was given" });
  }

  const keys = secrets.map((secret) => (typeof secret === "string" ? webhookSecretBytes(secret) : secret));
  if (keys.every((key) => key === null))
    return err({ code: "no_secret", message: "No secret to verify with" });
  for (const [secretIndex, key] of keys.entries()) {
    if (key === null) continue;
    const expected = await hmac(key, id, timestampText, body);
    let matched = false;
    // Every presented signature is compared, so the time taken does not say which one matched.
    for (const signature of presented) matched = timingSafeEqual(expected, signature) || matched;
    if (matched) return ok({ id, timestamp, secretIndex });
  }
  return err({ code: "no_matching_signature", message: "No signature matches" });
}
