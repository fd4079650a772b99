import { importVisitorCodeKey } from "@halte/core";

const encoder = new TextEncoder();

// Per isolate: secret → centre → key. Keys are derived once; the map holds a handful of centres.
const keysBySecret = new Map<string, Map<string, Promise<CryptoKey>>>();

function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function deriveVisitorCodeKey(secret: string, centreId: string): Promise<CryptoKey> {
  const master = await crypto.subtle.importKey(
    "raw",
    base64ToBytes(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const derived = await crypto.subtle.sign("HMAC", master, encoder.encode(`visitor-code:${centreId}`));
  return importVisitorCodeKey(bytesToBase64(new Uint8Array(derived)));
}

/**
 * The centre's visitor-code key: HMAC-SHA-256(base64-decoded `VISITOR_CODE_SECRET`, "visitor-code:" +
 * centreId). One secret serves every centre, yet two centres' hashes of the same card never match, and the
 * key is derived once per isolate per centre.
 */
export function visitorCodeKeyFor(secret: string, centreId: string): Promise<CryptoKey> {
  let byCentre = keysBySecret.get(secret);
  if (!byCentre) {
    byCentre = new Map();
    keysBySecret.set(secret, byCentre);
  }
  let key = byCentre.get(centreId);
  if (!key) {
    key = deriveVisitorCodeKey(secret, centreId);
    // A failed derivation must not be cached for the isolate's lifetime.
    key.catch(() => byCentre.delete(centreId));
    byCentre.set(centreId, key);
  }
  return key;
}
