// The demo centre, modelled on La Halte de Jour (Porte de la Chapelle, Paris): its partners, services,
// staff, context events and lessons. Visits and referrals are generated in seed.mjs.

export const CENTRE_ID = "demo-centre-halte";
export const TIME_ZONE = "Europe/Paris";

const everyDay = (opensAt = "08:00", closesAt = "19:00", capacity) =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt, closesAt, ...(capacity ? { capacity } : {}) }));
const weekdays = (days, opensAt, closesAt, capacity) =>
  days.map((weekday) => ({ weekday, opensAt, closesAt, ...(capacity ? { capacity } : {}) }));

const holidays = [
  {
    date: "2025-12-25",
    kind: "open",
    slots: [{ opensAt: "10:00", closesAt: "17:00" }],
    reason: "Christmas: shorter day",
  },
  { date: "2026-05-01", kind: "closed", reason: "1 May: building closed" },
];

export const centre = {
  name: "La Halte de Jour",
  slug: "halte-de-jour",
  address: "Porte de la Chapelle, 75018 Paris",
  openingHours: { timeZone: TIME_ZONE, weekly: everyDay(), exceptions: holidays },
  dailyCapacity: 100,
  disclosureThreshold: 5,
  retentionMonths: 24,
  languages: ["fr", "en", "ar", "prs", "ps", "ti"],
};

export const partners = [
  { id: "demo-partner-armee-du-salut", name: "Armée du Salut", roles: ["operator", "service_provider"] },
  {
    id: "demo-partner-aurore",
    name: "Aurore",
    roles: ["service_provider", "referral_destination", "funder"],
  },
  { id: "demo-partner-fas", name: "Fédération des acteurs de la solidarité", roles: ["funder"] },
  {
    id: "demo-partner-ftda",
    name: "France terre d'asile",
    roles: ["service_provider", "referral_destination", "funder"],
  },
  {
    id: "demo-partner-samu-social",
    name: "Samu social",
    roles: ["service_provider", "referral_destination"],
  },
  { id: "demo-partner-acf", name: "Action contre la faim", roles: ["service_provider"] },
  { id: "demo-partner-ville-de-paris", name: "Ville de Paris", roles: ["funder", "public_institution"] },
  { id: "demo-partner-saint-denis", name: "Saint-Denis", roles: ["funder", "public_institution"] },
];

const schedule = (weekly, extra = {}) => ({ timeZone: TIME_ZONE, weekly, exceptions: holidays, ...extra });

export const services = [
  {
    id: "demo-service-showers",
    organizationId: "demo-partner-armee-du-salut",
    name: "Douches",
    category: "hygiene",
    description: "12 cabines, kit d'hygiène fourni. Inscription à l'accueil.",
    languages: ["fr", "en", "ar"],
    location: "Rez-de-chaussée",
    schedule: schedule(everyDay("08:00", "19:00"), { dailyCapacity: 180 }),
    translations: {
      en: { name: "Showers" },
      ar: { name: "استحمام" },
      prs: { name: "حمام" },
      ps: { name: "غسل" },
      ti: { name: "ሻወር" },
    },
  },
  {
    id: "demo-service-toilets",
    organizationId: "demo-partner-armee-du-salut",
    name: "Toilettes",
    category: "hygiene",
    languages: ["fr"],
    location: "Rez-de-chaussée",
    schedule: schedule(everyDay()),
    translations: { en: { name: "Toilets" }, ar: { name: "مراحيض" } },
  },
  {
    id: "demo-service-cafe",
    organizationId: "demo-partner-acf",
    name: "Café et collation",
    category: "food",
    description: "Boisson chaude et collation toute la journée.",
    languages: ["fr", "en"],
    schedule: schedule(everyDay("08:00", "18:30"), { dailyCapacity: 400 }),
    translations: { en: { name: "Café and snack" }, ar: { name: "مقهى ووجبة خفيفة" } },
  },
  {
    id: "demo-service-rest",
    organizationId: "demo-partner-armee-du-salut",
    name: "Salle de repos",
    category: "rest",
    languages: ["fr"],
    schedule: schedule(everyDay("09:00", "18:00", 40)),
    translations: { en: { name: "Rest room" } },
  },
  {
    id: "demo-service-social",
    organizationId: "demo-partner-aurore",
    name: "Accompagnement social",
    category: "social",
    description: "Ouverture de droits, domiciliation, orientation.",
    languages: ["fr", "en", "ar"],
    schedule: schedule([
      ...weekdays([1, 2, 3, 4, 5], "09:00", "12:30", 12),
      ...weekdays([1, 3, 5], "14:00", "17:00", 8),
    ]),
    translations: { en: { name: "Social support" } },
  },
  {
    id: "demo-service-asylum",
    organizationId: "demo-partner-ftda",
    name: "Information sur l'asile",
    category: "legal",
    description: "Procédure d'asile, rendez-vous en préfecture, OFII.",
    languages: ["fr", "en", "prs", "ps", "ar"],
    schedule: schedule(weekdays([1, 2, 4], "10:00", "16:00", 20)),
    translations: {
      en: { name: "Asylum information" },
      prs: { name: "معلومات پناهندگی" },
      ps: { name: "د پناه غوښتنې معلومات" },
    },
  },
  {
    id: "demo-service-health",
    organizationId: "demo-partner-samu-social",
    name: "Consultation santé",
    category: "health",
    description: "Infirmière et médecin, orientation vers les PASS.",
    languages: ["fr", "en"],
    schedule: schedule(weekdays([2, 4, 6], "09:30", "13:00", 15)),
    translations: { en: { name: "Health consultation" } },
  },
  {
    id: "demo-service-harm-reduction",
    organizationId: "demo-partner-aurore",
    name: "Réduction des risques",
    category: "addiction_harm_reduction",
    languages: ["fr", "en"],
    schedule: schedule(weekdays([3, 5], "14:00", "18:00", 10)),
    translations: { en: { name: "Harm reduction" } },
  },
  {
    id: "demo-service-clothing",
    organizationId: "demo-partner-armee-du-salut",
    name: "Vestiaire",
    category: "clothing",
    languages: ["fr"],
    schedule: schedule(weekdays([2, 5], "10:00", "12:00", 30)),
    translations: { en: { name: "Clothing" } },
  },
];

/** Demo staff. These passwords exist only in the local seed; README lists them. */
export const users = [
  {
    id: "demo-user-admin",
    email: "admin@halte.demo",
    name: "Admin démo",
    role: "admin",
    centreId: null,
    password: "demo-admin-halte",
  },
  {
    id: "demo-user-coordination",
    email: "coordination@halte.demo",
    name: "Coordination",
    role: "coordinator",
    centreId: CENTRE_ID,
    password: "demo-coordination-halte",
  },
  {
    id: "demo-user-accueil",
    email: "accueil@halte.demo",
    name: "Accueil",
    role: "reception",
    centreId: CENTRE_ID,
    password: "demo-accueil-halte",
  },
  {
    id: "demo-user-observateur",
    email: "observateur@halte.demo",
    name: "Observateur",
    role: "observer",
    centreId: CENTRE_ID,
    password: "demo-observateur-halte",
  },
  {
    id: "demo-user-samu",
    email: "samu@halte.demo",
    name: "Samu social (partenaire)",
    role: "partner",
    centreId: CENTRE_ID,
    partnerId: "demo-partner-samu-social",
    password: "demo-samu-social",
  },
];

export const events = [
  {
    id: "demo-event-evacuation",
    kind: "camp_evacuation",
    title: "Évacuation du campement de la Porte d'Aubervilliers",
    startsOn: "2026-01-20",
    endsOn: "2026-01-21",
  },
  {
    id: "demo-event-cold",
    kind: "weather",
    title: "Grand froid : plan hivernal renforcé",
    startsOn: "2026-02-09",
    endsOn: "2026-02-15",
  },
  {
    id: "demo-event-closure",
    kind: "closure",
    title: "Fermeture pour travaux (plomberie)",
    startsOn: "2026-05-01",
  },
  {
    id: "demo-event-surge",
    kind: "surge",
    title: "Afflux d'arrivées après la fermeture d'un accueil voisin",
    startsOn: "2026-09-07",
    endsOn: "2026-09-13",
  },
];

const statement = (context, situation, result, cause, recommendation) => ({
  context,
  situation,
  result,
  cause,
  recommendation,
});

export const lessons = [
  {
    id: "demo-lesson-coordination",
    type: "good_practice",
    theme: "coordination",
    status: "validated",
    title: "Une réunion hebdomadaire de tous les partenaires",
    statement: statement(
      "a centre where eight organisations share one building",
      "each partner kept its own timetable",
      "people were sent to desks that were closed",
      "no shared timetable existed",
      "hold a weekly partners' meeting and publish one timetable at the door",
    ),
    evidence: [
      {
        kind: "report",
        reference: "Groupe URD, retour d'expérience",
        description: "Interviews with partner staff",
        strength: "moderate",
      },
    ],
    contributors: ["centre_team", "partners"],
    chsCommitments: [6],
    periodStart: "2025-12-01",
    periodEnd: "2026-03-31",
  },
  {
    id: "demo-lesson-evacuation",
    type: "critical_point",
    theme: "premises_logistics",
    status: "validated",
    title: "Les jours d'évacuation saturent les douches avant 10 h",
    statement: statement(
      "a camp evacuation nearby",
      "twice the usual number of people arrived before 9:00",
      "all twelve showers were booked by 10:00",
      "shower slots were not staggered and no extra staff was planned",
      "plan extra staff and staggered slots as soon as an evacuation is announced",
    ),
    evidence: [
      {
        kind: "event",
        reference: "demo-event-evacuation",
        description: "Evacuation of 20–21 January",
        strength: "strong",
      },
      {
        // A figure is picked from a report in the lessons page (its published value is stored then); the
        // seed cites the dashboard itself as a document.
        kind: "report",
        reference: "Tableau de bord des passages, semaine 2026W04",
        description: "Arrivals per hour that week",
        strength: "strong",
      },
    ],
    contributors: ["centre_team", "people_assisted"],
    chsCommitments: [2, 8],
    periodStart: "2026-01-19",
    periodEnd: "2026-01-25",
  },
  {
    id: "demo-lesson-neighbours",
    type: "recommendation",
    theme: "neighbour_relations",
    status: "reviewed",
    title: "Rencontrer les riverains avant l'ouverture",
    statement: statement(
      "opening a centre in a dense neighbourhood",
      "residents learnt of the project from the press",
      "the first weeks brought complaints and tension",
      "nobody had met them beforehand",
      "hold an open house with residents before opening and name a contact person",
    ),
    evidence: [],
    contributors: ["local_residents", "institutions"],
    chsCommitments: [4],
    periodStart: "2025-12-01",
    periodEnd: "2026-01-31",
  },
  {
    id: "demo-lesson-interpreting",
    type: "success_factor",
    theme: "support_to_needs",
    status: "draft",
    title: "Des bénévoles interprètes en dari et pachto",
    statement: statement(
      "a public of mostly Afghan men",
      "volunteer interpreters were present on weekday mornings",
      "the asylum desk saw twice as many people",
      "people could explain their situation in their own language",
      "recruit interpreters for the main languages before opening",
    ),
    evidence: [],
    contributors: ["people_assisted", "centre_team"],
    chsCommitments: [1, 4],
    periodStart: "2026-02-01",
    periodEnd: "2026-06-30",
  },
];
