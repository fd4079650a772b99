import { env } from "cloudflare:workers";

// HALTE_TEST_NOW=<instant> (vitest.workers.ts passes it on as TEST_NOW) moves the clock of every test file
// to that instant when the file starts; it then runs on in real time. The Worker under test runs in the
// tests' isolate, so its `services.now`, the jobs and the tests' own `new Date()` all read the moved clock:
// a suite runs at 00:05 in Paris, or on the night a month ends, whatever the hour of the real day.
// `Date` is shifted rather than faked (vi.useFakeTimers): it keeps the runtime's own ticking, so records
// made one after another keep distinct, increasing instants as they do in production.
const pinned = (env as { TEST_NOW?: string }).TEST_NOW;
if (pinned) {
  const RealDate = Date;
  const target = new RealDate(pinned).getTime();
  if (Number.isNaN(target)) throw new Error(`HALTE_TEST_NOW is not an instant: ${pinned}`);
  const offset = target - RealDate.now();
  class ShiftedDate extends RealDate {
    constructor(...args: ConstructorParameters<DateConstructor> | []) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as ConstructorParameters<DateConstructor>));
    }
    static override now(): number {
      return RealDate.now() + offset;
    }
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof RealDate;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
