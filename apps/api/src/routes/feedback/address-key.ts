// The feedback form's rate limit counts submissions per sender without keeping who sent them: the key is an
// HMAC of the caller's address under a key derived from the deployment's secret, so the address itself is
// never stored or logged, and the hash cannot be reversed by trying every IPv4 address without the secret.

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const raw = Uint8Array.from(atob(secret), (ch) => ch.charCodeAt(0));
    key = crypto.subtle
      .importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then((base) => crypto.subtle.sign("HMAC", base, new TextEncoder().encode("halte feedback sender v1")))
      .then((derived) =>
        crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
      );
    key.catch(() => keys.delete(secret));
    keys.set(secret, key);
  }
  return key;
}

/** The rate-limit key of a sender: a keyed hash of its address (hex), never the address. */
export async function senderKey(secret: string, address: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(address));
  return [...new Uint8Array(mac).slice(0, 16)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
