// Reads and extends wrangler.jsonc's `d1_databases` without losing its comments (scripts/centre-add.mjs,
// scripts/split-centres.mjs). The file stays the one config wrangler reads, so `wrangler deploy`, `wrangler
// dev`, `wrangler types` and the test pool see the centres' bindings with nothing else to keep in step.
// Plain Node, no dependencies: a small scanner tells code from strings and comments.
import { createHash } from "node:crypto";

/** Where every database's migrations are, relative to apps/api (the same for the directory and each centre). */
export const MIGRATIONS_DIR = "../../packages/db/migrations";

/** The binding of a centre's database: `CENTRE_` and the slug in upper snake case (`halte-de-jour` → `CENTRE_HALTE_DE_JOUR`). */
export function centreBindingOf(slug) {
  return `CENTRE_${slug.toUpperCase().replaceAll("-", "_")}`;
}

/** The D1 database's name in the Cloudflare account: `halte-centre-<slug>`. */
export function centreDatabaseNameOf(slug) {
  return `halte-centre-${slug}`;
}

/**
 * The id a database gets in the config on a local install (`--local`): wrangler keeps each local database's
 * state under its id, so every binding needs its own. Shaped like a UUID, derived from the name so re-runs agree.
 */
export function localDatabaseIdOf(name) {
  const hex = createHash("sha256").update(`halte-local:${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The index of every code character (not inside a string or a comment) of a JSONC text. */
function codePositions(text) {
  const positions = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (c === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      for (let j = start; j <= i && j < text.length; j++) positions.push(j);
      i++;
    } else {
      positions.push(i);
      i++;
    }
  }
  return positions;
}

/** The config as a value (comments dropped, trailing commas tolerated). */
export function parseWranglerConfig(text) {
  const code = codePositions(text)
    .map((i) => text[i])
    .join("");
  return JSON.parse(code.replace(/,(\s*[\]}])/g, "$1"));
}

/** The `d1_databases` entries of a config text. */
export function d1BindingsOf(text) {
  return parseWranglerConfig(text).d1_databases ?? [];
}

/**
 * The config text with one more `d1_databases` entry, written before the array's closing bracket with a
 * comment line saying where it came from; every other character of the file is kept as it was.
 */
export function withD1Binding(text, entry, comment) {
  const positions = codePositions(text);
  const code = positions.map((i) => text[i]).join("");
  const key = code.indexOf('"d1_databases"');
  if (key === -1) throw new Error('The config has no "d1_databases" array');
  const open = code.indexOf("[", key);
  let depth = 0;
  let close = -1;
  let inString = false;
  for (let k = open; k < code.length; k++) {
    const c = code[k];
    if (c === '"' && code[k - 1] !== "\\") inString = !inString;
    if (inString) continue;
    if (c === "[" || c === "{") depth++;
    if (c === "]" || c === "}") depth--;
    if (depth === 0) {
      close = k;
      break;
    }
  }
  if (close === -1) throw new Error('The config\'s "d1_databases" array is not closed');
  const lastCode = code.slice(open + 1, close).trimEnd();
  const afterLast = lastCode.length === 0 ? null : positions[open + lastCode.length];
  const closeAt = positions[close];
  const needsComma = lastCode.length > 0 && !lastCode.endsWith(",");
  const indent = "    ";
  const block = `\n${indent}// ${comment}\n${indent}${JSON.stringify(entry, null, 1).replace(/\n\s*/g, " ")}`;
  if (afterLast === null) return `${text.slice(0, closeAt)}${block}\n  ${text.slice(closeAt)}`;
  const head = text.slice(0, afterLast + 1) + (needsComma ? "," : "");
  const middle = text.slice(afterLast + 1, closeAt).trimEnd();
  return `${head}${middle}${block}\n  ${text.slice(closeAt)}`;
}

/** The entry of a centre's database as the config holds it. */
export function centreBindingEntry(binding, databaseName, databaseId) {
  return {
    binding,
    database_name: databaseName,
    database_id: databaseId,
    migrations_dir: MIGRATIONS_DIR,
  };
}
