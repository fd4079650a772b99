// HSDS ids: name-based UUIDs (RFC 9562 version 5) under Halte's namespace, so the same Halte record always has
// the same HSDS id without storing one. The mapping decisions are described at the top of hsds.ts.
// ---- Name-based UUIDs (RFC 9562 §5.5): SHA-1 is needed synchronously, and WebCrypto's digest is async.

function sha1(bytes: Uint8Array): Uint8Array {
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = (w[i - 3] ?? 0) ^ (w[i - 8] ?? 0) ^ (w[i - 14] ?? 0) ^ (w[i - 16] ?? 0);
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let i = 0; i < 80; i++) {
      const [f, k] =
        i < 20
          ? [(b & c) | (~b & d), 0x5a827999]
          : i < 40
            ? [b ^ c ^ d, 0x6ed9eba1]
            : i < 60
              ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc]
              : [b ^ c ^ d, 0xca62c1d6];
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] ?? 0)) >>> 0;
      e = d;
      d = c;
      c = ((b << 30) | (b >>> 2)) >>> 0;
      b = a;
      a = temp;
    }
    h[0] = ((h[0] ?? 0) + a) >>> 0;
    h[1] = ((h[1] ?? 0) + b) >>> 0;
    h[2] = ((h[2] ?? 0) + c) >>> 0;
    h[3] = ((h[3] ?? 0) + d) >>> 0;
    h[4] = ((h[4] ?? 0) + e) >>> 0;
  }
  const digest = new Uint8Array(20);
  const out = new DataView(digest.buffer);
  for (const [i, word] of h.entries()) out.setUint32(i * 4, word);
  return digest;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A name-based UUID, version 5 (RFC 9562 §5.5): SHA-1 of the namespace UUID's bytes followed by the name
 * in UTF-8. The same namespace and name always give the same UUID, so exports get stable ids without
 * storing them. Not for secrets: SHA-1 here only spreads names, it protects nothing. An invalid namespace
 * is a bug and throws.
 *
 * @example
 * uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com"); // "2ed6657d-e927-568b-95e1-2665a8aea6a2"
 */
export function uuidV5(namespace: string, name: string): string {
  if (!UUID_PATTERN.test(namespace)) throw new RangeError(`"${namespace}" is not a UUID`);
  const hex = namespace.replaceAll("-", "");
  const namespaceBytes = Uint8Array.from({ length: 16 }, (_, i) =>
    Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16),
  );
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(16 + nameBytes.length);
  input.set(namespaceBytes);
  input.set(nameBytes, 16);
  const bytes = sha1(input).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const out = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${out.slice(0, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}-${out.slice(16, 20)}-${out.slice(20)}`;
}

/** Namespace of every id Halte derives for HSDS: uuidV5(URL namespace, "urn:halte:hsds"). Never change it. */
export const HALTE_HSDS_NAMESPACE = "0c1f372f-144d-578e-92a6-2ea767b06342";

/** An HSDS id derived from a Halte id and a record's own key (schedules, languages, phones, attributes). */
export function derivedId(...parts: readonly string[]): string {
  return uuidV5(HALTE_HSDS_NAMESPACE, parts.join("\u001f"));
}

/** The Halte records that have their own id in HSDS. */
export type HsdsEntity = "service" | "organization";

/**
 * The HSDS id of a Halte service or organisation: `uuidV5(HALTE_HSDS_NAMESPACE, entity + "\u001f" + id)`.
 * HSDS wants UUIDs; Halte ids need not be. The mapping is stable (same Halte id, same HSDS id, forever) and
 * one-way: keep the Halte id to look a record up in the Halte API.
 *
 * @example
 * hsdsId("service", "demo-service-showers"); // "90d59385-4667-5b03-8fd2-601ead78a414", on every export
 */
export function hsdsId(entity: HsdsEntity, haltId: string): string {
  return derivedId(entity, haltId);
}
