#!/usr/bin/env node
// The documented way to create the first admin (docs/first-admin.md). There is no default password:
// the password is typed at a hidden prompt (or given in HALTE_ADMIN_PASSWORD for automation), hashed here
// with the Worker's own recipe (@halte/core's derivePasswordHash, PBKDF2-SHA-256), and only the hash
// reaches D1.
//
//   node apps/api/scripts/create-admin.mjs --email you@example.org --name "Your Name" (--local | --remote)
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { derivePasswordHash, PASSWORD_HASH } from "@halte/core";
import { adminInsertSql } from "./admin-sql.mjs";
import { uuidv7 } from "./ids.mjs";
import { wrangler } from "./wrangler.mjs";

const MIN_PASSWORD = 12;

const usage =
  'usage: create-admin.mjs --email you@example.org --name "Your Name" (--local | --remote) [--persist-to DIR]';

function fail(message, code = 2) {
  console.error(message);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      local: { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
      "persist-to": { type: "string" },
    },
  }));
} catch (error) {
  fail(`${error.message}\n${usage}`);
}
const email = values.email?.trim().toLowerCase() ?? "";
const name = values.name?.trim() ?? "";
if (!email || !name || values.local === values.remote) fail(usage);
if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail("That email does not look valid.");
if (name.length > 200 || /\p{Cc}/u.test(name)) fail("Use a name of 200 characters at most, on one line.");
if (values["persist-to"] !== undefined && !values.local) fail("--persist-to goes with --local only.");

/** Reads one line without echoing it. */
async function askHidden(question) {
  process.stdout.write(question);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const prompt = createInterface({ input: process.stdin, output: muted, terminal: true });
  prompt.on("SIGINT", () => {
    process.stdout.write("\n");
    process.exit(130);
  });
  const answer = await prompt.question("");
  prompt.close();
  process.stdout.write("\n");
  return answer;
}

async function readPassword() {
  const fromEnv = process.env.HALTE_ADMIN_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (!process.stdin.isTTY) fail("No terminal to ask for the password: set HALTE_ADMIN_PASSWORD.");
  const password = await askHidden(`Password (${MIN_PASSWORD} characters or more): `);
  if (password.length >= MIN_PASSWORD && (await askHidden("Same password again: ")) !== password) {
    fail("The two passwords differ; nothing was created.");
  }
  return password;
}

const password = await readPassword();
if (password.length < MIN_PASSWORD) fail(`Use at least ${MIN_PASSWORD} characters; nothing was created.`);

const hash = await derivePasswordHash(password, randomBytes(PASSWORD_HASH.saltBytes));
const now = new Date();
const sql = adminInsertSql({
  id: uuidv7(now),
  email,
  name,
  passwordHash: hash.hash,
  passwordSalt: hash.salt,
  passwordIterations: hash.iterations,
  at: now.toISOString(),
});
const target = values.remote
  ? ["--remote"]
  : ["--local", ...(values["persist-to"] ? ["--persist-to", values["persist-to"]] : [])];
try {
  wrangler(["d1", "execute", "DB", ...target, "--command", sql]);
} catch (error) {
  // wrangler's own message, without the command line: that holds the password's hash.
  const output = String(error.message).split("\n").slice(1).join("\n");
  if (/UNIQUE constraint failed: users\.email/.test(output)) {
    fail(`An account with the email ${email} exists already; nothing was changed.`, 1);
  }
  if (/no such table: users/.test(output)) {
    fail("The database has no users table yet: apply the migrations first (see docs/first-admin.md).", 1);
  }
  fail(`wrangler could not write the account:\n${output.trim()}`, 1);
}
console.log(`Admin ${email} created. Sign in with it, then create the other accounts (docs/first-admin.md).`);
