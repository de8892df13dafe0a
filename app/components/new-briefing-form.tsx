import { useFetcher } from "@remix-run/react";
import { useState } from "react";
import { CLASSIFICATIONS } from "../../db/enums";
import { Field, Select } from "./field";

type Errors = Record<string, string[] | undefined>;

/** Must match START_BLANK / START_WORD in app/utils/new-briefing.server.ts. */
const BLANK = "blank";
const WORD = "word";

/**
 * The New briefing form: details, and what the body starts from (the starter outline, a Word
 * document, or one of the team's templates). Sent as multipart to /teams/:teamId/new by a fetcher,
 * so the chosen file and the typed details stay in place when the server answers with errors.
 */
export function NewBriefingForm({
  teamId,
  templates,
  maxImportMb,
  levels = CLASSIFICATIONS,
}: {
  teamId: string;
  templates: { id: string; title: string }[];
  maxImportMb: number;
  /** The team's level names, lowest first. */
  levels?: readonly string[];
}) {
  const fetcher = useFetcher<{ errors?: Errors }>();
  const [start, setStart] = useState(BLANK);
  const errors = fetcher.data?.errors;
  const busy = fetcher.state !== "idle";
  const options = [
    { value: BLANK, label: "Blank (starter outline)" },
    { value: WORD, label: "Word document (.docx)" },
    ...templates.map((t) => ({ value: t.id, label: `Template: ${t.title}` })),
  ];
  return (
    <fetcher.Form method="post" action={`/teams/${teamId}/new`} encType="multipart/form-data" noValidate>
      <div className="form-grid">
        <Field label="Title" name="title" required maxLength={200} errors={errors?.title} placeholder="e.g. Bilateral talks, Astana" />
        <Field label="Summit" name="summitName" required maxLength={200} errors={errors?.summitName} />
        <Field label="City" name="city" required maxLength={100} errors={errors?.city} />
        <Field label="Starts" name="startDate" type="date" required errors={errors?.startDate} />
        <Field label="Ends" name="endDate" type="date" required errors={errors?.endDate} />
        <Select
          label="Classification"
          name="classification"
          options={levels}
          defaultValue={levels.includes("RESTRICTED") ? "RESTRICTED" : levels[0]}
          errors={errors?.classification}
        />
        <Select label="Start from" name="start" options={options} value={start} onChange={(e) => setStart(e.currentTarget.value)} errors={errors?.start} />
        {start === WORD ? (
          <Field
            label="Word document"
            name="file"
            type="file"
            accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            required
            errors={errors?.file}
            hint={`Headings, lists, tables, quotes and links are kept; images are left out. At most ${maxImportMb} MB.`}
          />
        ) : null}
      </div>
      <button type="submit" className="button primary" disabled={busy}>
        {busy && start === WORD ? "Importing…" : "Create briefing"}
      </button>
    </fetcher.Form>
  );
}
