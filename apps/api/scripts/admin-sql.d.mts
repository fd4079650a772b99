export function adminInsertSql(admin: {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  passwordSalt: string;
  passwordIterations: number;
  at: string;
}): string;
