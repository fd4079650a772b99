// Pure: builds the INSERT for a first admin from an already-hashed password. Kept free of node: imports so
// the Worker's tests can import it and check that the row it writes signs in.

function literal(value) {
  if (typeof value === "number") return String(value);
  if (value === null) return "NULL";
  return `'${String(value).replaceAll("'", "''")}'`;
}

/**
 * @param {{ id: string, email: string, name: string, passwordHash: string, passwordSalt: string,
 *   passwordIterations: number, at: string }} admin
 * @returns {string} one INSERT statement; fails on a duplicate email (unique constraint).
 */
export function adminInsertSql(admin) {
  const values = [
    admin.id,
    admin.email.toLowerCase(),
    admin.name,
    "admin",
    null,
    null,
    admin.passwordHash,
    admin.passwordSalt,
    admin.passwordIterations,
    admin.at,
    admin.at,
  ];
  return (
    "INSERT INTO users (id, email, name, role, centre_id, partner_id, password_hash, password_salt, " +
    `password_iterations, created_at, updated_at) VALUES (${values.map(literal).join(", ")});`
  );
}
