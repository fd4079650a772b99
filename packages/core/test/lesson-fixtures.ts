// The lesson and event both renderings of the lessons guide are tested with.
import type { Event } from "../src/event.js";
import type { Lesson } from "../src/lesson.js";

const META = {
  createdAt: "2026-06-01T08:00:00Z",
  updatedAt: "2026-06-02T08:00:00Z",
  archivedAt: null,
};

export function lesson(overrides: Partial<Lesson> = {}): Lesson {
  return {
    ...META,
    id: "lesson-1",
    centreId: "halte",
    type: "recommendation",
    theme: "premises_logistics",
    title: "Stagger shower slots on evacuation days",
    statement: {
      context: "a camp evacuation",
      situation: "120 people arrived before 9:00",
      result: "the showers were saturated by 10:00",
      cause: "slots were not staggered",
      recommendation: "open extra shower slots on evacuation days",
    },
    evidence: [
      { kind: "event", reference: "evt-1", description: "The evacuation itself", strength: "moderate" },
    ],
    contributors: ["centre_team", "people_assisted"],
    chsCommitments: [6, 2],
    periodStart: "2026-03-01",
    periodEnd: "2026-03-31",
    status: "validated",
    createdBy: "user-author",
    ...overrides,
  };
}

export const evacuation: Event = {
  ...META,
  id: "evt-1",
  centreId: "halte",
  kind: "camp_evacuation",
  title: "Evacuation of the Porte de la Chapelle camp",
  description: null,
  startsOn: "2026-03-03",
  endsOn: "2026-03-04",
  peopleConcerned: null,
  vulnerableConcerned: null,
};
