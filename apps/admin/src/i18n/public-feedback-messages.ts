// The public feedback form's strings, one catalogue per directory language (French is the reference; every
// catalogue has exactly its keys). Like the directory's own strings (public-messages.ts), the Arabic,
// Dari/Persian, Pashto and Tigrinya texts were written without a native speaker's review: docs/admin.md
// asks for one before a centre relies on them.
import type { PublicLocale } from "./locales.js";

export const feedbackFr = {
  title: "Votre avis sur {centre}",
  intro:
    "Dites-nous ce qui va, ce qui ne va pas, ce qu'il faudrait changer. Pas besoin de compte. Une personne de l'équipe lit chaque message.",
  noNames:
    "N'écrivez pas votre nom, votre numéro de téléphone ni rien qui permette de vous reconnaître, vous ou quelqu'un d'autre.",
  chs5: "Les plaintes et les suggestions sont bienvenues et sont traitées (Norme humanitaire fondamentale, engagement 5).",
  message: "Votre message",
  service: "À propos d'un service (facultatif)",
  noService: "— aucun —",
  send: "Envoyer",
  sending: "Envoi…",
  thanks: "Merci. Votre message est bien arrivé ; une personne de l'équipe va le lire.",
  tooMany: "Trop de messages envoyés d'ici à l'instant. Réessayez plus tard.",
  tooShort: "Écrivez quelques mots (au moins 3 caractères).",
  sendError: "Le message n'a pas pu être envoyé. Réessayez.",
  back: "Retour aux services",
  honeypot: "Laissez ce champ vide",
} as const;

export type FeedbackMessages = Record<keyof typeof feedbackFr, string>;

export const feedbackEn: FeedbackMessages = {
  title: "Your opinion about {centre}",
  intro:
    "Tell us what works, what does not, what should change. You do not need an account. Someone from the team reads every message.",
  noNames: "Do not write your name, your phone number or anything that could identify you or someone else.",
  chs5: "Complaints and suggestions are welcome and are addressed (Core Humanitarian Standard, commitment 5).",
  message: "Your message",
  service: "About a service (optional)",
  noService: "— none —",
  send: "Send",
  sending: "Sending…",
  thanks: "Thank you. Your message has arrived; someone from the team will read it.",
  tooMany: "Too many messages were sent from here just now. Try again later.",
  tooShort: "Write a few words (at least 3 characters).",
  sendError: "The message could not be sent. Try again.",
  back: "Back to the services",
  honeypot: "Leave this field empty",
};

export const feedbackAr: FeedbackMessages = {
  title: "رأيك في {centre}",
  intro:
    "أخبرنا بما يسير جيدًا، وما لا يسير جيدًا، وما يجب تغييره. لا تحتاج إلى حساب. يقرأ أحد أفراد الفريق كل رسالة.",
  noNames: "لا تكتب اسمك ولا رقم هاتفك ولا أي شيء يمكن أن يعرّف بك أو بشخص آخر.",
  chs5: "الشكاوى والاقتراحات مرحّب بها وتتم معالجتها (المعيار الإنساني الأساسي، الالتزام 5).",
  message: "رسالتك",
  service: "بخصوص خدمة (اختياري)",
  noService: "— لا شيء —",
  send: "إرسال",
  sending: "جارٍ الإرسال…",
  thanks: "شكرًا لك. وصلت رسالتك، وسيقرأها أحد أفراد الفريق.",
  tooMany: "أُرسلت رسائل كثيرة من هنا للتو. حاول مرة أخرى لاحقًا.",
  tooShort: "اكتب بضع كلمات (3 أحرف على الأقل).",
  sendError: "تعذّر إرسال الرسالة. حاول مرة أخرى.",
  back: "العودة إلى الخدمات",
  honeypot: "اترك هذا الحقل فارغًا",
};

export const feedbackFa: FeedbackMessages = {
  title: "نظر شما دربارهٔ {centre}",
  intro:
    "به ما بگویید چه چیزی خوب است، چه چیزی خوب نیست و چه چیزی باید تغییر کند. به حساب کاربری نیاز ندارید. یکی از اعضای تیم هر پیام را می‌خواند.",
  noNames: "نام، شمارهٔ تلفن یا هر چیزی که شما یا شخص دیگری را شناسایی کند ننویسید.",
  chs5: "شکایت‌ها و پیشنهادها پذیرفته می‌شوند و به آن‌ها رسیدگی می‌شود (استاندارد بنیادین بشردوستانه، تعهد ۵).",
  message: "پیام شما",
  service: "دربارهٔ یک خدمت (اختیاری)",
  noService: "— هیچ —",
  send: "ارسال",
  sending: "در حال ارسال…",
  thanks: "سپاس. پیام شما رسید؛ یکی از اعضای تیم آن را می‌خواند.",
  tooMany: "همین حالا پیام‌های زیادی از اینجا فرستاده شده است. بعداً دوباره تلاش کنید.",
  tooShort: "چند کلمه بنویسید (دست‌کم ۳ حرف).",
  sendError: "پیام فرستاده نشد. دوباره تلاش کنید.",
  back: "بازگشت به خدمات",
  honeypot: "این خانه را خالی بگذارید",
};

export const feedbackPs: FeedbackMessages = {
  title: "د {centre} په اړه ستاسو نظر",
  intro:
    "موږ ته ووایاست چې څه ښه دي، څه ښه نه دي، او څه باید بدل شي. حساب ته اړتیا نشته. د ټیم یو غړی هر پیغام لولي.",
  noNames: "خپل نوم، د تلیفون شمېره یا هغه څه مه لیکئ چې تاسو یا بل څوک وپېژني.",
  chs5: "شکایتونه او وړاندیزونه ښه راغلاست دي او ځواب ورکول کېږي (بنسټیز بشري معیار، ژمنه ۵).",
  message: "ستاسو پیغام",
  service: "د یو خدمت په اړه (اختیاري)",
  noService: "— هېڅ —",
  send: "ولېږئ",
  sending: "لېږل کېږي…",
  thanks: "مننه. ستاسو پیغام ورسېد؛ د ټیم یو غړی به یې ولولي.",
  tooMany: "همدا اوس له دې ځایه ډېر پیغامونه لېږل شوي. وروسته بیا هڅه وکړئ.",
  tooShort: "څو کلمې ولیکئ (لږ تر لږه ۳ توري).",
  sendError: "پیغام ونه لېږل شو. بیا هڅه وکړئ.",
  back: "خدمتونو ته بېرته",
  honeypot: "دا ځای خالي پرېږدئ",
};

export const feedbackTi: FeedbackMessages = {
  title: "ርእይቶኹም ብዛዕባ {centre}",
  intro:
    "እንታይ ጽቡቕ ከም ዝኸይድ፡ እንታይ ከም ዘይኸይድ፡ እንታይ ክቕየር ከም ዘለዎ ንገሩና። ሕሳብ ኣየድልየኩምን። ሓደ ኣባል ጉጅለ ነፍሲ ወከፍ መልእኽቲ የንብብ።",
  noNames: "ስምኩም፡ ቁጽሪ ተሌፎንኩም ወይ ንዓኹም ወይ ንካልእ ሰብ ዘለልይ ዝኾነ ነገር ኣይትጽሓፉ።",
  chs5: "ጥርዓናትን ርእይቶታትን ብሓጎስ ይቕበሉ፡ መልሲ ድማ ይወሃቦም (መሰረታዊ ሰብኣዊ ስታንዳርድ፡ ተወፋይነት 5)።",
  message: "መልእኽትኹም",
  service: "ብዛዕባ ሓደ ኣገልግሎት (ኣማራጺ)",
  noService: "— የለን —",
  send: "ስደዱ",
  sending: "ይለኣኽ ኣሎ…",
  thanks: "የቐንየልና። መልእኽትኹም በጺሑ እዩ፤ ሓደ ኣባል ጉጅለ ከንብቦ እዩ።",
  tooMany: "ሕጂ ካብዚ ብዙሕ መልእኽትታት ተላኢኹ። ጸኒሕኩም እንደገና ፈትኑ።",
  tooShort: "ውሑዳት ቃላት ጽሓፉ (እንተወሓደ 3 ፊደላት)።",
  sendError: "መልእኽቲ ክለኣኽ ኣይከኣለን። እንደገና ፈትኑ።",
  back: "ናብ ኣገልግሎታት ተመለሱ",
  honeypot: "ነዚ ቦታ ባዶ ግደፍዎ",
};

export const feedbackCatalogues: Record<PublicLocale, FeedbackMessages> = {
  fr: feedbackFr,
  en: feedbackEn,
  ar: feedbackAr,
  fa: feedbackFa,
  ps: feedbackPs,
  ti: feedbackTi,
};
