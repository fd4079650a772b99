import { bytesToBase64 } from "@halte/core";

/** The Worker's own WebCrypto helpers (randomness, digests); base64 and constant-time comparison are core's. */

const encoder = new TextEncoder();

/** A URL-safe random secret of `bytes` bytes of entropy. */
export function randomSecret(bytes = 32): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return bytesToBase64(buffer).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(value));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * HMAC-SHA-256 of a CSRF token keyed with the credential (session or door device cookie) it belongs to, in
 * hex. The door's folded write compares this in SQL instead of the plain token: an attacker without the
 * cookie cannot compute the hash of a guess, so an early-exit comparison of hashes tells them nothing.
 * With `credentialHash` (the cookie's SHA-256) the imported key is held for the isolate's next requests with
 * that credential: importing it was a tenth of the door tap's CPU. The key is non-extractable and no check
 * rests on it being held: the write still compares the hash with the session's or device's row.
 */
export async function csrfKeyedHash(
  credential: string,
  csrfToken: string,
  credentialHash?: string,
): Promise<string> {
  const key =
    credentialHash === undefined ? importCsrfKey(credential) : heldCsrfKey(credential, credentialHash);
  const mac = await crypto.subtle.sign("HMAC", await key, encoder.encode(`halte csrf v1:${csrfToken}`));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Keys by the SHA-256 of their credential; emptied when full (a door has a few tablets and sessions). */
const csrfKeys = new Map<string, Promise<CryptoKey>>();
const MAX_CSRF_KEYS = 256;

function importCsrfKey(credential: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(credential),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

function heldCsrfKey(credential: string, credentialHash: string): Promise<CryptoKey> {
  let key = csrfKeys.get(credentialHash);
  if (!key) {
    if (csrfKeys.size >= MAX_CSRF_KEYS) csrfKeys.clear();
    key = importCsrfKey(credential);
    csrfKeys.set(credentialHash, key);
    // A failed import is not held: the next request tries again.
    key.catch(() => csrfKeys.delete(credentialHash));
  }
  return key;
}
