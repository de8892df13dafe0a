import type { DialectServer } from "../helpers/server-dialects";

export interface AuditRow {
  id: number;
  at: number;
  team_id: string | null;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  briefing_id: string | null;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

/**
 * The audit rows the server wrote, read through `sql` (a dialect's reader from
 * test/helpers/server-dialects.ts): SQLite's JSON text and PostgreSQL's jsonb both as an object.
 */
export async function auditRows(sql: DialectServer["sql"], where = "1 = 1", ...args: unknown[]): Promise<AuditRow[]> {
  const rows = await sql<Omit<AuditRow, "details"> & { details: string | Record<string, unknown> }>(`select * from audit_events where ${where} order by id`, args);
  return rows.map((r) => ({ ...r, details: typeof r.details === "string" ? (JSON.parse(r.details) as Record<string, unknown>) : r.details }));
}

export async function lastRow(sql: DialectServer["sql"], action: string): Promise<AuditRow | undefined> {
  return (await auditRows(sql, "action = ?", action)).at(-1);
}

/** A small RFC 4180 reader (quoted fields, doubled quotes, CRLF), to parse the CSV export back. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
