// The registry of letter content. Campaign.template in the database names one of these.

import { landmines2020 } from "./landmines-2020";
import type { LetterTemplate } from "./types";

export type {
  LetterContent,
  LetterFact,
  LetterPoint,
  LetterTemplate,
  OfficeKind,
  Phrase,
  PhraseContext,
} from "./types";

const templates: Record<string, LetterTemplate> = {
  [landmines2020.key]: landmines2020,
};

export const letterTemplateKeys: readonly string[] = Object.keys(templates);

export function getLetterTemplate(key: string): LetterTemplate {
  const template = Object.hasOwn(templates, key) ? templates[key] : undefined;
  if (!template) {
    throw new Error(
      `Unknown letter template "${key}". Known templates: ${letterTemplateKeys.join(", ")}. ` +
        `A campaign's "template" must name one of them (see app/letters/campaigns/index.ts).`,
    );
  }
  return template;
}
