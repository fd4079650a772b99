/**
 * The encodings and the few WebCrypto recipes that the Worker, the seed, the CLIs and the tests must agree
 * on byte for byte: base64, a constant-time comparison and the password hash. WebCrypto is on every
 * runtime we target (workerd, browsers, Node 20), so one implementation serves all of them. Randomness
 * never comes from here: salts and secrets are arguments.
 */

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Writes bytes as standard base64 (RFC 4648 §4, with padding).
 *
 * @example
 * bytesToBase64(new Uint8Array([104, 105])); // "aGk="
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Reads standard base64 back into bytes. Throws `RangeError` on anything else (URL-safe letters, spaces,
 * a length no encoder writes): callers that take base64 from outside check it first or catch.
 *
 * @example
 * base64ToBytes("aGk="); // Uint8Array [104, 105]
 */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  if (!BASE64.test(base64) || base64.length % 4 === 1) throw new RangeError("Not standard base64");
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new RangeError("Not standard base64");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Compares two byte strings in time that depends only on the first one's length, so a signature or a
 * password hash cannot be guessed byte by byte from how long a refusal takes.
 *
 * @example
 * timingSafeEqual(computed, presented); // true only for the same bytes
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i % b.length] ?? 0);
  return diff === 0;
}

/**
 * The password hash of every account: PBKDF2-SHA-256, a 16-byte salt per user, a 32-byte key, and
 * 100,000 iterations — the most workerd allows. Stored hashes carry their own count, so raising it later
 * leaves old ones valid.
 */
export const PASSWORD_HASH = { iterations: 100_000, saltBytes: 16, keyBits: 256 } as const;

/** A stored password hash: key and salt in base64, and the iterations it was made with. */
export interface PasswordHash {
  readonly hash: string;
  readonly salt: string;
  readonly iterations: number;
}

async function pbkdf2(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    PASSWORD_HASH.keyBits,
  );
  return new Uint8Array(bits);
}

/**
 * Hashes a password with {@link PASSWORD_HASH}'s recipe under a salt the caller drew (16 random bytes;
 * core draws nothing). Fewer iterations are for tests only.
 *
 * @example
 * const salt = crypto.getRandomValues(new Uint8Array(PASSWORD_HASH.saltBytes));
 * const stored = await derivePasswordHash("correct horse battery staple", salt);
 * // { hash: "…44 base64 characters…", salt: "…", iterations: 100000 }
 */
export async function derivePasswordHash(
  password: string,
  salt: Uint8Array,
  iterations: number = PASSWORD_HASH.iterations,
): Promise<PasswordHash> {
  const saltBytes = new Uint8Array(salt);
  const hash = await pbkdf2(password, saltBytes, iterations);
  return { hash: bytesToBase64(hash), salt: bytesToBase64(saltBytes), iterations };
}

/**
 * Tells whether a password matches a stored hash: derives it again with the stored salt and iterations and
 * compares in constant time.
 *
 * @example
 * await verifyPasswordHash("correct horse battery staple", stored); // true
 */
export async function verifyPasswordHash(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await pbkdf2(password, base64ToBytes(stored.salt), stored.iterations);
  return timingSafeEqual(candidate, base64ToBytes(stored.hash));
}
