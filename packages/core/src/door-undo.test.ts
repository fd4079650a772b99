import { describe, expect, it } from "vitest";
import { checkUndo, UNDO_WINDOW_MS } from "./door-undo.js";

const tap = { createdAt: "2026-12-07T09:00:00.000Z", recordedBy: "u1", voidedAt: null };
const at = (ms: number) => new Date(Date.parse(tap.createdAt) + ms);

describe("checkUndo", () => {
  it.each([
    ["the recorder, at once", tap, "u1", 0, null],
    ["the recorder, at the window's end", tap, "u1", UNDO_WINDOW_MS, null],
    ["the recorder, a moment too late", tap, "u1", UNDO_WINDOW_MS + 1, "too_late"],
    ["another device", tap, "u2", 1000, "not_recorder"],
    ["a tap with no recorder", { ...tap, recordedBy: null }, "u1", 1000, "not_recorder"],
    ["a second undo", { ...tap, voidedAt: "2026-12-07T09:01:00.000Z" }, "u1", 1000, "already_voided"],
  ] as const)("%s", (_name, target, caller, after, code) => {
    const result = checkUndo(target, caller, at(after));
    expect(result.ok ? null : result.error.code).toBe(code);
  });
});
