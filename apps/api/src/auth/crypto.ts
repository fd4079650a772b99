import { bytesToBase64 } from "@halte/core";

/** The Worker's own WebCrypto helpers (randomness, digests); base64 and constant-time comparison are core's. */

/** A URL-safe random secret of `bytes` bytes of entropy. */
export function randomSecret(bytes = 32): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return bytesToBase64(buffer).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * HMAC-SHA-256 of a CSRF token keyed with the credential (session or door device cookie) it belongs to, in
 * hex. The door's folded write compares this in SQL instead of the plain token: an attacker without the
 * cookie cannot compute the hash of a guess, so an early-exit comparison of hashes tells them nothing.
 */
export async function csrfKeyedHash(credential: string, csrfToken: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(credential),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`halte csrf v1:${csrfToken}`));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}
