// Words that send a supporter's own words to an organizer before their letters go.
//
// Provenance: written for this project from common English profanity and slurs, in the spirit of
// the short "bad words" lists kept by comment-moderation tools; kept short on purpose, because a
// match only asks a person to look (it never rejects by itself). Whole words only, so "Scunthorpe"
// and "assessment" are not caught. Stems marked with a trailing * also match longer words
// ("fuck*" matches "fucking"). Organizers can extend it; keep it lower-case and sorted.
export const ABUSIVE_WORDS: readonly string[] = [
  "asshole*",
  "bastard*",
  "bitch*",
  "bullshit",
  "cocksucker*",
  "cunt*",
  "dickhead*",
  "faggot*",
  "fuck*",
  "kike*",
  "kill yourself",
  "motherfuck*",
  "nigger*",
  "retard*",
  "shit",
  "shits",
  "shitty",
  "slut*",
  "spic",
  "twat*",
  "whore*",
];
