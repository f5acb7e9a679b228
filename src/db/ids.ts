const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether text is a row id (a UUID): checked before a query so a forged id is "not found", never a SQL error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
