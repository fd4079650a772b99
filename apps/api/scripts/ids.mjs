// Ids for rows the command-line tools write (scripts/create-admin.mjs, scripts/centre-add.mjs).
import { randomBytes } from "node:crypto";

/** UUIDv7, like every other id of the Worker (apps/api/src/ids.ts), so lists stay in creation order. */
export function uuidv7(now) {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now.getTime(), 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
