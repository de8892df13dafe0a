import Database from "better-sqlite3";

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

/** The audit rows the server wrote, read from its SQLite file (a second, read-only connection). */
export function auditRows(databasePath: string, where = "1 = 1", ...args: unknown[]): AuditRow[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    const rows = db.prepare(`select * from audit_events where ${where} order by id`).all(...args) as (Omit<AuditRow, "details"> & { details: string })[];
    return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

export function lastRow(databasePath: string, action: string): AuditRow | undefined {
  return auditRows(databasePath, "action = ?", action).at(-1);
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
