import { z } from "zod";
import { base64ToBytes, bytesToBase64 } from "./crypto.js";

/**
 * Normalises a card code before hashing. Codes are typed by hand at a busy door: "A-0042 ", "a0042" and
 * "A 0042" are the same card, so case, spaces, hyphens, dots and underscores are ignored and the same
 * person is counted once.
 *
 * @example
 * normaliseVisitorCode(" a-0042 "); // "A0042"
 */
export function normaliseVisitorCode(code: string): string {
  return code
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-_.]/g, "");
}

/**
 * A centre's visitor-code key: at least 32 bytes of secret, given as base64. Generated once per centre
 * and kept as a Worker secret; rotating it starts a new series of unique-visitor counts.
 */
export const VisitorCodeKey = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "Give the key as base64")
  .refine((key) => {
    try {
      return base64ToBytes(key).length >= 32;
    } catch {
      return false;
    }
  }, "The key must be at least 32 bytes");
export type VisitorCodeKey = z.infer<typeof VisitorCodeKey>;

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Imports a centre's base64 key for HMAC-SHA-256 once, so hashing a batch of visits does not re-import it.
 *
 * @example
 * const key = await importVisitorCodeKey(env.VISITOR_CODE_KEY);
 */
export async function importVisitorCodeKey(base64Key: string): Promise<CryptoKey> {
  const parsed = VisitorCodeKey.safeParse(base64Key);
  if (!parsed.success) {
    throw new Error("Visitor code key must be base64 and at least 32 bytes");
  }
  return crypto.subtle.importKey(
    "raw",
    base64ToBytes(parsed.data),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

/**
 * Derives the value stored for a visitor card code: HMAC-SHA-256 of the normalised code under the centre's
 * key, as 64 lower-case hex characters. The raw code is never stored; without the key the hash cannot be
 * tested against guessed card numbers, and two centres' hashes of the same card do not match.
 *
 * @example
 * const key = await importVisitorCodeKey(env.VISITOR_CODE_KEY);
 * await hashVisitorCode("A-0042", key); // "5c1f…" (64 hex characters)
 */
export async function hashVisitorCode(code: string, key: CryptoKey): Promise<string> {
  const normalised = normaliseVisitorCode(code);
  if (normalised.length === 0) {
    throw new Error("A visitor code cannot be empty");
  }
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(normalised));
  return toHex(signature);
}

/**
 * A centre's visitor-code key, derived from the one deployment secret: HMAC-SHA-256(base64-decoded
 * `secret`, "visitor-code:" + centreId), as base64 for {@link importVisitorCodeKey}. One secret serves
 * every centre, yet two centres' hashes of the same card never match. The Worker and the demo seed both
 * derive it here, so seeded cards hash as the door would hash them.
 *
 * @example
 * const key = await importVisitorCodeKey(await deriveVisitorCodeKey(env.VISITOR_CODE_SECRET, "halte"));
 */
export async function deriveVisitorCodeKey(secret: string, centreId: string): Promise<string> {
  const master = await crypto.subtle.importKey(
    "raw",
    base64ToBytes(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const derived = await crypto.subtle.sign(
    "HMAC",
    master,
    new TextEncoder().encode(`visitor-code:${centreId}`),
  );
  return bytesToBase64(new Uint8Array(derived));
}
