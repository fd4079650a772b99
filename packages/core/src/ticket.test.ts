import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  estimatedWaitMinutes,
  minutesPerCall,
  nextTicketNumber,
  TakeTicketInput,
  TicketPrefix,
  ticketLabel,
  ticketPrefixFor,
  transitionTicket,
} from "./ticket.js";

describe("ticket prefixes", () => {
  it("are distinct for every caller of a centre, valid, and skip I and O", () => {
    const prefixes = Array.from({ length: 600 }, (_, index) => ticketPrefixFor(index));
    expect(new Set(prefixes).size).toBe(600);
    for (const prefix of prefixes) expect(TicketPrefix.safeParse(prefix).success, prefix).toBe(true);
    expect(prefixes.slice(0, 10)).toEqual(["A", "B", "C", "D", "E", "F", "G", "H", "J", "K"]);
    expect(prefixes[24]).toBe("AA");
    expect(() => ticketPrefixFor(600)).toThrow(RangeError);
    expect(TicketPrefix.safeParse("I").success).toBe(false);
    expect(TicketPrefix.safeParse("d").success).toBe(false);
  });

  it("label a ticket as called out", () => {
    expect(ticketLabel("D", 14)).toBe("D-14");
  });
});

describe("nextTicketNumber", () => {
  it("continues the device's own numbers, whatever the other devices gave", () => {
    const tickets = [
      { prefix: "A", number: 1 },
      { prefix: "B", number: 7 },
      { prefix: "A", number: 2 },
    ];
    expect(nextTicketNumber(tickets, "A")).toBe(3);
    expect(nextTicketNumber(tickets, "B")).toBe(8);
    expect(nextTicketNumber(tickets, "C")).toBe(1);
  });

  it("never gives a number twice for one letter (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("A", "B")), (takers) => {
        const given: { prefix: string; number: number }[] = [];
        for (const prefix of takers) given.push({ prefix, number: nextTicketNumber(given, prefix) });
        const labels = given.map((t) => ticketLabel(t.prefix, t.number));
        return new Set(labels).size === labels.length;
      }),
    );
  });
});

describe("transitionTicket", () => {
  it.each([
    ["waiting", "called", { ok: true, value: "changed" }],
    ["waiting", "cancelled", { ok: true, value: "changed" }],
    ["called", "called", { ok: true, value: "unchanged" }],
    ["cancelled", "cancelled", { ok: true, value: "unchanged" }],
  ] as const)("%s → %s", (from, to, expected) => {
    expect(transitionTicket(from, to)).toEqual(expected);
  });

  it("refuses to cancel a called ticket or call a cancelled one", () => {
    expect(transitionTicket("called", "cancelled")).toMatchObject({
      ok: false,
      error: { code: "already_called" },
    });
    expect(transitionTicket("cancelled", "called")).toMatchObject({
      ok: false,
      error: { code: "already_cancelled" },
    });
  });
});

describe("the estimated wait", () => {
  const now = new Date("2026-12-07T10:30:00Z");
  it("is the mean gap of the recent calls", () => {
    expect(
      minutesPerCall(["2026-12-07T10:00:00Z", "2026-12-07T10:10:00Z", "2026-12-07T10:20:00Z"], now),
    ).toBe(10);
    // Only the last six calls count: the pace of the morning rush does not drag on.
    const calls = [
      "2026-12-07T09:05:00Z",
      ...Array.from({ length: 6 }, (_, i) => `2026-12-07T10:${10 + i * 2}:00Z`),
    ];
    expect(minutesPerCall(calls, now)).toBe(2);
  });

  it("is unknown with fewer than two recent calls, or calls older than 90 minutes", () => {
    expect(minutesPerCall([], now)).toBeNull();
    expect(minutesPerCall(["2026-12-07T10:00:00Z"], now)).toBeNull();
    expect(minutesPerCall(["2026-12-07T08:00:00Z", "2026-12-07T08:10:00Z"], now)).toBeNull();
  });

  it("grows with the position and says nothing beyond today's places or without a pace", () => {
    expect(estimatedWaitMinutes({ position: 1, minutesPerCall: 4.5, remainingPlaces: null })).toBe(5);
    expect(estimatedWaitMinutes({ position: 3, minutesPerCall: 4.5, remainingPlaces: 10 })).toBe(14);
    expect(estimatedWaitMinutes({ position: 11, minutesPerCall: 4.5, remainingPlaces: 10 })).toBeNull();
    expect(estimatedWaitMinutes({ position: 1, minutesPerCall: null, remainingPlaces: 10 })).toBeNull();
  });
});

describe("TakeTicketInput", () => {
  it("takes nothing personal: unknown fields are refused", () => {
    const base = {
      id: "t1",
      centreId: "c1",
      serviceId: "s1",
      takenAt: "2026-12-07T10:00:00Z",
      prefix: "D",
      number: 14,
    };
    expect(TakeTicketInput.safeParse(base).success).toBe(true);
    expect(TakeTicketInput.safeParse({ ...base, name: "Ahmad" }).success).toBe(false);
    expect(TakeTicketInput.safeParse({ ...base, number: 0 }).success).toBe(false);
  });
});
