import { Extension } from "@tiptap/core";
import { dataAttr } from "../shared/attrs";
import { PORTION_MARK_ATTR, PORTION_MARK_TYPES, sanitizeLevelName } from "./levels";

/**
 * The portion mark of a block: the classification level name of that paragraph, heading, list,
 * list item, blockquote or structured block, "" when unmarked. A plain node attribute, so it syncs
 * through the Y.Doc like any other. Stored as `data-portion-mark`; every reader (HTML parse,
 * projection, exports) runs it through `sanitizeLevelName`, so a hostile client's value is at worst
 * a well-formed name the team does not have, which ranks above every level (levels.ts).
 * It survives a split: the second half of a marked paragraph is as sensitive as the first.
 */
export const PortionMark = Extension.create({
  name: "portionMark",

  addGlobalAttributes() {
    return [
      {
        types: [...PORTION_MARK_TYPES],
        attributes: {
          [PORTION_MARK_ATTR]: {
            default: "",
            keepOnSplit: true,
            parseHTML: (element) => sanitizeLevelName(dataAttr(element, "portion-mark")),
            renderHTML: (attrs) => {
              const mark = sanitizeLevelName(attrs[PORTION_MARK_ATTR]);
              return mark ? { "data-portion-mark": mark } : {};
            },
          },
        },
      },
    ];
  },
});
