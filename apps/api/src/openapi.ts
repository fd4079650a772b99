/** OpenAPI security requirements: staff sessions (cookie) or partner API tokens (bearer). */
export const staffOrToken: Array<Record<string, string[]>> = [{ session: [] }, { token: [] }];
export const staffOnly: Array<Record<string, string[]>> = [{ session: [] }];
