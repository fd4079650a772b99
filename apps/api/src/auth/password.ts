import { derivePasswordHash, PASSWORD_HASH, type PasswordHash, verifyPasswordHash } from "@halte/core";

export type { PasswordHash };

/** The recipe (PBKDF2-SHA-256, 100,000 iterations: workerd's cap) is core's `PASSWORD_HASH`. */
export const PBKDF2_ITERATIONS: number = PASSWORD_HASH.iterations;

/** Hashes with core's recipe under a fresh random salt; fewer iterations are for tests only. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(PASSWORD_HASH.saltBytes));
  return derivePasswordHash(password, salt, iterations);
}

/** Recomputes the hash and compares in constant time. */
export const verifyPassword = verifyPasswordHash;

/** A hash to compare against when the account does not exist, so timing does not reveal which emails exist. */
export const DUMMY_PASSWORD_HASH: PasswordHash = {
  hash: "q0yN7Vq3c2o5o1mKXzG2bq2q7mVq3c2o5o1mKXzG2bo=",
  salt: "AAAAAAAAAAAAAAAAAAAAAA==",
  iterations: PBKDF2_ITERATIONS,
};
