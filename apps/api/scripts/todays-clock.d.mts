export function earlierToday(now: Date, span: number, timeZone: string): (ms: number) => Date;
