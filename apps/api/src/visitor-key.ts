import { deriveVisitorCodeKey, importVisitorCodeKey } from "@halte/core";

// Per isolate: secret → centre → key. Keys are derived once; the map holds a handful of centres.
const keysBySecret = new Map<string, Map<string, Promise<CryptoKey>>>();

async function deriveVisitorCodeKeyOnce(secret: string, centreId: string): Promise<CryptoKey> {
  return importVisitorCodeKey(await deriveVisitorCodeKey(secret, centreId));
}

/**
 * The centre's visitor-code key (core's `deriveVisitorCodeKey` of `VISITOR_CODE_SECRET`), derived once per
 * isolate per centre.
 */
export function visitorCodeKeyFor(secret: string, centreId: string): Promise<CryptoKey> {
  let byCentre = keysBySecret.get(secret);
  if (!byCentre) {
    byCentre = new Map();
    keysBySecret.set(secret, byCentre);
  }
  let key = byCentre.get(centreId);
  if (!key) {
    key = deriveVisitorCodeKeyOnce(secret, centreId);
    // A failed derivation must not be cached for the isolate's lifetime.
    key.catch(() => byCentre.delete(centreId));
    byCentre.set(centreId, key);
  }
  return key;
}
