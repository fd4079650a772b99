// The public directory's interface strings, one catalogue per language. French is the reference; every
// catalogue has exactly its keys (the type says so). The Arabic, Dari/Persian, Pashto and Tigrinya texts
// were written without a native speaker's review: docs/admin.md asks for one before a centre relies on them.

export const publicFr = {
  directoryTitle: "Services à {centre}",
  language: "Langue",
  address: "Adresse",
  openNow: "Ouvert maintenant",
  openUntil: "Ouvert jusqu'à {time}",
  closed: "Fermé",
  nextOpens: "Ouvre {when}",
  notScheduled: "Pas d'ouverture prévue",
  languages: "Langues",
  where: "Où",
  noServices: "Aucun service n'est annoncé.",
  loading: "Chargement…",
  notFound: "Ce centre n'existe pas.",
  loadError: "L'annuaire n'a pas pu être chargé. Réessayez.",
} as const;

export type PublicMessages = Record<keyof typeof publicFr, string>;

export const publicEn: PublicMessages = {
  directoryTitle: "Services at {centre}",
  language: "Language",
  address: "Address",
  openNow: "Open now",
  openUntil: "Open until {time}",
  closed: "Closed",
  nextOpens: "Opens {when}",
  notScheduled: "No opening planned",
  languages: "Languages",
  where: "Where",
  noServices: "No service is listed.",
  loading: "Loading…",
  notFound: "This centre does not exist.",
  loadError: "The directory could not be loaded. Try again.",
};

export const publicAr: PublicMessages = {
  directoryTitle: "الخدمات في {centre}",
  language: "اللغة",
  address: "العنوان",
  openNow: "مفتوح الآن",
  openUntil: "مفتوح حتى {time}",
  closed: "مغلق",
  nextOpens: "يفتح {when}",
  notScheduled: "لا يوجد موعد فتح مقرر",
  languages: "اللغات",
  where: "المكان",
  noServices: "لا توجد خدمات معلنة.",
  loading: "جارٍ التحميل…",
  notFound: "هذا المركز غير موجود.",
  loadError: "تعذّر تحميل الدليل. حاول مرة أخرى.",
};

export const publicFa: PublicMessages = {
  directoryTitle: "خدمات در {centre}",
  language: "زبان",
  address: "آدرس",
  openNow: "اکنون باز است",
  openUntil: "باز تا {time}",
  closed: "بسته",
  nextOpens: "باز می‌شود: {when}",
  notScheduled: "زمان بازشدن بعدی مشخص نیست",
  languages: "زبان‌ها",
  where: "مکان",
  noServices: "هیچ خدمتی اعلام نشده است.",
  loading: "در حال بارگذاری…",
  notFound: "این مرکز پیدا نشد.",
  loadError: "بارگذاری فهرست ممکن نشد. دوباره تلاش کنید.",
};

export const publicPs: PublicMessages = {
  directoryTitle: "په {centre} کې خدمتونه",
  language: "ژبه",
  address: "پته",
  openNow: "اوس خلاص دی",
  openUntil: "تر {time} پورې خلاص دی",
  closed: "بند دی",
  nextOpens: "خلاصېږي: {when}",
  notScheduled: "د خلاصېدو بل وخت نه دی ټاکل شوی",
  languages: "ژبې",
  where: "ځای",
  noServices: "هېڅ خدمت نه دی اعلان شوی.",
  loading: "بارېږي…",
  notFound: "دا مرکز ونه موندل شو.",
  loadError: "لارښود بار نه شو. بیا هڅه وکړئ.",
};

export const publicTi: PublicMessages = {
  directoryTitle: "ኣገልግሎታት ኣብ {centre}",
  language: "ቋንቋ",
  address: "ኣድራሻ",
  openNow: "ሕጂ ክፉት እዩ",
  openUntil: "ክሳብ {time} ክፉት",
  closed: "ዕፁው",
  nextOpens: "ዝኽፈተሉ: {when}",
  notScheduled: "ዝኽፈተሉ ግዜ ኣይተወሰነን",
  languages: "ቋንቋታት",
  where: "ቦታ",
  noServices: "ዝተፈለጠ ኣገልግሎት የለን።",
  loading: "ይጽዕን ኣሎ…",
  notFound: "እዚ ማእከል ኣይተረኽበን።",
  loadError: "ዝርዝር ክጽዕን ኣይከኣለን። እንደገና ፈትኑ።",
};
