import { base64ToBytes, bytesToBase64, timingSafeEqual } from "./crypto.js";

/** workerd caps PBKDF2 at 100,000 iterations; we use the cap. */
export const PBKDF2_ITERATIONS = 100_000;
const KEY_BITS = 256;

export interface PasswordHash {
  hash: string;
  salt: string;
  iterations: number;
}

async function derive(
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
    KEY_BITS,
  );
  return new Uint8Array(bits);
}

/** PBKDF2-SHA-256 with a fresh 16-byte salt per user. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<PasswordHash> {
  const salt = new Uint8Array(16);
  crypto.getRandomValues(salt);
  const hash = await derive(password, salt, iterations);
  return { hash: bytesToBase64(hash), salt: bytesToBase64(salt), iterations };
}

/** Recomputes the hash and compares in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await derive(password, base64ToBytes(stored.salt), stored.iterations);
  return timingSafeEqual(candidate, base64ToBytes(stored.hash));
}

/** A hash to compare against when the account does not exist, so timing does not reveal which emails exist. */
export const DUMMY_PASSWORD_HASH: PasswordHash = {
  hash: "q0yN7Vq3c2o5o1mKXzG2bq2q7mVq3c2o5o1mKXzG2bo=",
  salt: "AAAAAAAAAAAAAAAAAAAAAA==",
  iterations: PBKDF2_ITERATIONS,
};
