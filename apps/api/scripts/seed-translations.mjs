// The demo services' names, descriptions and places in the public directory's languages (en, ar, prs for
// Dari, ps, ti): what a reader of each language sees at /directory/halte-de-jour. Written without a native
// speaker's review, like the directory's own strings (docs/admin.md). Names and places only where the
// French service has them. Safe to re-run: each language's texts are merged into the stored ones.
import { ServiceTranslation } from "@halte/core";

const GROUND_FLOOR = {
  en: "Ground floor",
  ar: "الطابق الأرضي",
  prs: "طبقهٔ همکف",
  ps: "ځمکنی پوړ",
  ti: "ምድሪ ቤት",
};

/** Each demo service's texts by language code. */
export const serviceTranslations = {
  "demo-service-showers": {
    en: { name: "Showers", description: "12 cubicles, hygiene kit provided. Sign up at reception." },
    ar: { name: "الاستحمام", description: "12 حجرة استحمام، مع عدة نظافة. التسجيل عند الاستقبال." },
    prs: { name: "حمام (دوش)", description: "۱۲ اتاقک حمام، کیت بهداشتی داده می‌شود. ثبت نام در پذیرش." },
    ps: {
      name: "د لمبلو ځای",
      description: "۱۲ د لمبلو کوټې، د پاکوالي کڅوړه ورکول کېږي. په پذیرش کې نوم ولیکئ.",
    },
    ti: { name: "ሻወር", description: "12 ክፍሊ ሻወር፣ ናይ ጽሬት መሳርሒ ይወሃብ። ኣብ መቐበሊ ተመዝገቡ።" },
  },
  "demo-service-toilets": {
    en: { name: "Toilets" },
    ar: { name: "المراحيض" },
    prs: { name: "تشناب" },
    ps: { name: "تشناب" },
    ti: { name: "ሽቓቕ" },
  },
  "demo-service-cafe": {
    en: { name: "Café and snack", description: "Hot drink and a snack all day." },
    ar: { name: "مقهى ووجبة خفيفة", description: "مشروب ساخن ووجبة خفيفة طوال اليوم." },
    prs: { name: "کافه و غذای سبک", description: "نوشیدنی گرم و غذای سبک در تمام روز." },
    ps: { name: "کافې او سپک خواړه", description: "ټوله ورځ ګرم څښاک او سپک خواړه." },
    ti: { name: "ካፌን መኽሰስን", description: "ምሉእ መዓልቲ ውዑይ መስተን መኽሰስን።" },
  },
  "demo-service-rest": {
    en: { name: "Rest room" },
    ar: { name: "قاعة الاستراحة" },
    prs: { name: "اتاق استراحت" },
    ps: { name: "د آرام خونه" },
    ti: { name: "ክፍሊ ዕረፍቲ" },
  },
  "demo-service-social": {
    en: { name: "Social support", description: "Access to benefits, a postal address, orientation." },
    ar: { name: "المرافقة الاجتماعية", description: "فتح الحقوق، عنوان بريدي، توجيه." },
    prs: { name: "همراهی اجتماعی", description: "دسترسی به حقوق، آدرس پستی، راهنمایی." },
    ps: { name: "ټولنیز ملاتړ", description: "حقونو ته لاسرسی، پوستي پته، لارښوونه." },
    ti: { name: "ማሕበራዊ ደገፍ", description: "መሰላት ምኽፋት፣ ናይ ፖስታ ኣድራሻ፣ ምምራሕ።" },
  },
  "demo-service-asylum": {
    en: { name: "Asylum information", description: "Asylum procedure, prefecture appointments, OFII." },
    ar: { name: "معلومات عن اللجوء", description: "إجراءات اللجوء، مواعيد المحافظة، مكتب OFII." },
    prs: { name: "معلومات پناهندگی", description: "روند پناهندگی، وقت ملاقات در پرفکتور، OFII." },
    ps: { name: "د پناه غوښتنې معلومات", description: "د پناه غوښتنې بهیر، په پرفکتور کې وختونه، OFII." },
    ti: { name: "ሓበሬታ ዑቕባ", description: "መስርሕ ዑቕባ፣ ቆጸራ ፕረፌክቱር፣ OFII።" },
  },
  "demo-service-health": {
    en: { name: "Health consultation", description: "Nurse and doctor, referral to hospital PASS clinics." },
    ar: { name: "استشارة صحية", description: "ممرضة وطبيب، توجيه إلى عيادات PASS في المستشفيات." },
    prs: { name: "مشورهٔ صحی", description: "نرس و داکتر، معرفی به کلینیک‌های PASS شفاخانه." },
    ps: { name: "روغتیایي مشوره", description: "نرس او ډاکټر، د روغتون PASS کلینیکونو ته لېږل." },
    ti: { name: "ምኽሪ ጥዕና", description: "ነርስን ሓኪምን፣ ናብ ክሊኒካት PASS ናይ ሆስፒታል ምምራሕ።" },
  },
  "demo-service-harm-reduction": {
    en: { name: "Harm reduction" },
    ar: { name: "الحد من المخاطر" },
    prs: { name: "کاهش آسیب" },
    ps: { name: "د زیان کمول" },
    ti: { name: "ጉድኣት ምንካይ" },
  },
  "demo-service-clothing": {
    en: { name: "Clothing" },
    ar: { name: "ملابس" },
    prs: { name: "لباس" },
    ps: { name: "جامې" },
    ti: { name: "ክዳውንቲ" },
  },
};
for (const id of ["demo-service-showers", "demo-service-toilets"]) {
  for (const [code, location] of Object.entries(GROUND_FLOOR))
    serviceTranslations[id][code].location = location;
}

/**
 * The UPDATE statements that merge these texts into the seeded services (`json_patch`: languages and
 * fields not named here are kept), each text checked by core's `ServiceTranslation` first.
 */
export function translationStatements() {
  return Object.entries(serviceTranslations).map(([id, byLanguage]) => {
    for (const text of Object.values(byLanguage)) ServiceTranslation.parse(text);
    const patch = JSON.stringify(byLanguage).replaceAll("'", "''");
    return `UPDATE services SET translations = json_patch(translations, '${patch}') WHERE id = '${id}';`;
  });
}

/** Writes the translations into the local D1 (called by seed.mjs). */
export async function seedServiceTranslations() {
  const { wrangler } = await import("./wrangler.mjs");
  wrangler(["d1", "execute", "DB", "--local", "--command", translationStatements().join("\n")]);
  process.stdout.write(
    `  ${Object.keys(serviceTranslations).length} services' texts in en, ar, prs, ps, ti\n`,
  );
}
