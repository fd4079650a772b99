import { base64ToBytes, bytesToBase64 } from "@halte/core";

/**
 * Partners' webhook secrets at rest. They must be read back to verify and sign, so they are encrypted, not
 * hashed: AES-256-GCM under a key derived (HKDF-SHA-256) from the `WEBHOOK_SECRETS_KEY` Worker secret, a
 * fresh 12-byte IV per secret, and the row id and partner id as additional data so a ciphertext copied to
 * another row does not decrypt. A database dump or backup alone does not reveal any secret.
 */
const keys = new Map<string, Promise<CryptoKey>>();

function storageKey(masterBase64: string): Promise<CryptoKey> {
  let key = keys.get(masterBase64);
  if (!key) {
    key = (async () => {
      const master = await crypto.subtle.importKey("raw", base64ToBytes(masterBase64), "HKDF", false, [
        "deriveKey",
      ]);
      return crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new Uint8Array(32),
          info: new TextEncoder().encode("halte webhook secrets v1"),
        },
        master,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    })();
    key.catch(() => keys.delete(masterBase64));
    keys.set(masterBase64, key);
  }
  return key;
}

function additionalData(rowId: string, partnerId: string): Uint8Array {
  return new TextEncoder().encode(`webhook-secret:${rowId}:${partnerId}`);
}

/** Encrypts a `whsec_…` secret for the row `rowId` of `partnerId`: base64(IV ‖ ciphertext). */
export async function sealWebhookSecret(
  masterBase64: string,
  rowId: string,
  partnerId: string,
  secret: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(rowId, partnerId) },
    await storageKey(masterBase64),
    new TextEncoder().encode(secret),
  );
  const out = new Uint8Array(12 + sealed.byteLength);
  out.set(iv, 0);
  out.set(new Uint8Array(sealed), 12);
  return bytesToBase64(out);
}

/** Decrypts what `sealWebhookSecret` made; throws if the key, the row or the ciphertext do not match. */
export async function openWebhookSecret(
  masterBase64: string,
  rowId: string,
  partnerId: string,
  ciphertext: string,
): Promise<string> {
  const bytes = base64ToBytes(ciphertext);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: additionalData(rowId, partnerId) },
    await storageKey(masterBase64),
    bytes.slice(12),
  );
  return new TextDecoder().decode(plain);
}

/**
 * The usable secrets among stored rows, each with its row. A row that does not decrypt (the storage key was
 * changed without re-issuing secrets) is skipped and logged by id, so the caller answers 401 rather than
 * failing.
 */
export async function openWebhookSecretRows<
  Row extends { id: string; partnerId: string; ciphertext: string },
>(
  masterBase64: string,
  rows: readonly Row[],
  onUnreadable: (id: string) => void,
): Promise<{ row: Row; secret: string }[]> {
  const opened = await Promise.all(
    rows.map((row) =>
      openWebhookSecret(masterBase64, row.id, row.partnerId, row.ciphertext).then(
        (secret) => ({ row, secret }),
        () => {
          onUnreadable(row.id);
          return null;
        },
      ),
    ),
  );
  return opened.filter((pair): pair is { row: Row; secret: string } => pair !== null);
}

/** The usable secrets among stored rows (`openWebhookSecretRows` without the rows). */
export async function openWebhookSecrets(
  masterBase64: string,
  rows: ReadonlyArray<{ id: string; partnerId: string; ciphertext: string }>,
  onUnreadable: (id: string) => void,
): Promise<string[]> {
  return (await openWebhookSecretRows(masterBase64, rows, onUnreadable)).map((pair) => pair.secret);
}
