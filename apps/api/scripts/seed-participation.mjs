// Demo data of the participatory process (docs/demo.md): a context event that counts the people it
// concerned, and feedback the people assisted left on the public directory, some moderated. Checked with
// the same core schemas the API uses, then written as INSERT OR IGNORE statements so re-runs change nothing.
import { EventInput, FeedbackSubmission } from "@halte/core";

function literal(value) {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}

function insert(table, row) {
  const columns = Object.keys(row);
  return `INSERT OR IGNORE INTO ${table} (${columns.join(",")}) VALUES (${columns.map((c) => literal(row[c])).join(",")});`;
}

/**
 * The evacuation of the Porte de la Chapelle camp as the brief of La Halte de Jour recounts it for May 2017
 * (1,609 people sheltered, 75 of them counted as vulnerable), placed in the seeded year so the demo's
 * attendance chart shows it.
 */
const evacuation = {
  id: "demo-event-chapelle-evacuation",
  ...EventInput.parse({
    centreId: "PLACEHOLDER",
    kind: "camp_evacuation",
    title: "Mise à l'abri du campement de la Porte de la Chapelle",
    description:
      "Opération de mise à l'abri : 1 609 personnes, dont 75 vulnérables (chiffres de l'évacuation de mai 2017).",
    startsOn: "2026-06-16",
    peopleConcerned: 1609,
    vulnerableConcerned: 75,
  }),
};

const feedback = [
  ["demo-feedback-1", "ti", "approved", "ሻወር ብዙሕ ግዜ ንጽበ። ንግሆ ተወሳኺ ሰዓታት ይኽፈት።", "2026-06-20T09:12:00.000Z"],
  ["demo-feedback-2", "fa", "pending", "کاش کسی در دفتر پذیرش دری صحبت کند.", "2026-09-10T15:40:00.000Z"],
  [
    "demo-feedback-3",
    "fr",
    "approved",
    "Merci pour le café le matin, ça change tout.",
    "2026-10-02T08:30:00.000Z",
  ],
  ["demo-feedback-4", "ar", "pending", "نحتاج إلى مكان لشحن الهواتف.", "2026-11-05T11:05:00.000Z"],
];

/** The statements to run with the reference data (centre, partners, events) of the demo centre. */
export function participationStatements(centreId, seededAt) {
  const { centreId: _placeholder, ...event } = evacuation;
  const rows = [
    insert("events", {
      id: event.id,
      centre_id: centreId,
      kind: event.kind,
      title: event.title,
      description: event.description,
      starts_on: event.startsOn,
      ends_on: event.startsOn,
      people_concerned: event.peopleConcerned,
      vulnerable_concerned: event.vulnerableConcerned,
      archived_at: null,
      created_at: seededAt,
      updated_at: seededAt,
    }),
  ];
  for (const [id, language, status, text, at] of feedback) {
    const checked = FeedbackSubmission.parse({ text, language, fillSeconds: 30 });
    rows.push(
      insert("feedback", {
        id,
        centre_id: centreId,
        text: checked.text,
        theme: null,
        service_id: null,
        language,
        status,
        moderated_at: status === "pending" ? null : at,
        moderated_by: null,
        created_at: at,
        updated_at: at,
      }),
    );
  }
  return rows;
}
