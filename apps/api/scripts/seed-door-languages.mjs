// The demo centre's door languages (issue 14): the six the door offered before, plus Somali and Amharic,
// which the demo's own arrivals speak and reception could not tick. Run by seed.mjs after the centre exists.
import { CENTRE_ID } from "./seed-data.mjs";
import { wrangler } from "./wrangler.mjs";

export const DEMO_DOOR_LANGUAGES = ["fr", "en", "ar", "prs", "ps", "ti", "so", "am"];

export function seedDoorLanguages() {
  const list = JSON.stringify(DEMO_DOOR_LANGUAGES).replaceAll("'", "''");
  wrangler([
    "d1",
    "execute",
    "DB",
    "--local",
    "--command",
    `UPDATE centres SET door_languages = '${list}' WHERE id = '${CENTRE_ID.replaceAll("'", "''")}';`,
  ]);
  process.stdout.write(`  door languages: ${DEMO_DOOR_LANGUAGES.join(", ")}\n`);
}
