// A door device's "last used" stamp (shown to coordinators to spot a lost tablet) when its taps are checked by
// a credential grant in the centre's database, where no device row is: the directory is stamped after the
// answer, at most once a minute per device and isolate.
import { stampDoorDeviceUseByHash } from "@halte/db";
import type { Context } from "hono";
import type { AppEnv } from "../context.js";
import { describeError } from "../logger.js";

const STAMP_EVERY_MS = 60_000;
const MAX_HELD = 1024;

/** Device (SHA-256 of its cookie) → when this isolate last stamped it, or saw it stamped. */
const stampedAt = new Map<string, number>();

/** Notes that the directory's look-up of a device just stamped it (or found it stamped within the minute). */
export function noteDeviceStamp(secretHash: string, at: Date): void {
  if (stampedAt.size >= MAX_HELD) stampedAt.clear();
  stampedAt.set(secretHash, at.getTime());
}

/** Stamps a device's last use in the directory after the answer, unless this isolate did in the last minute. */
export function stampGrantedDevice(c: Context<AppEnv>, secretHash: string, at: Date): void {
  const last = stampedAt.get(secretHash);
  if (last !== undefined && at.getTime() - last < STAMP_EVERY_MS) return;
  noteDeviceStamp(secretHash, at);
  const { db, logger } = c.get("services");
  c.executionCtx.waitUntil(
    stampDoorDeviceUseByHash(db, secretHash, at)
      .run()
      .then(
        () => undefined,
        (error: unknown) => logger.warn("door device last-use not recorded", { error: describeError(error) }),
      ),
  );
}
