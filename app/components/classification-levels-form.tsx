import { Form } from "@remix-run/react";
import type { ClassificationLevel } from "../../extensions/portion-mark/levels";

/**
 * Owners' setting: the team's classification levels, lowest first, one per line as `NAME (ABBR)`.
 * Portion marks and a brief's minimum level name one of them; the server checks the list.
 */
export function ClassificationLevelsForm({ levels }: { levels: ClassificationLevel[] }) {
  const text = levels.map((l) => `${l.name} (${l.abbr})`).join("\n");
  return (
    <Form method="post" className="classification-levels-form">
      <input type="hidden" name="intent" value="classification-levels" />
      <label>
        Classification levels, lowest first, one per line as NAME (ABBREVIATION)
        <textarea name="levels" rows={Math.max(4, levels.length + 1)} defaultValue={text} key={text} spellCheck={false} />
      </label>
      <p className="muted">
        Blocks marked with a level show its abbreviation, e.g. ({levels[levels.length - 1]?.abbr ?? "S"}). A mark naming a level removed here ranks above every
        level until it is changed.
      </p>
      <button type="submit" className="button small">
        Save levels
      </button>
    </Form>
  );
}
