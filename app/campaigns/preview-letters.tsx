// The letters a preview rendered, shown the same way in the editor (unsaved content) and on the
// preview page (saved content).
import type { PreviewLetter } from "./admin.server";

export function PreviewLetters({
  letters,
  notes,
  heading: Heading,
}: {
  letters: PreviewLetter[];
  notes: string[];
  /** The level that fits the page around the letters. */
  heading: "h2" | "h3";
}) {
  return (
    <>
      {notes.map((note) => (
        <p key={note} className="hint">
          {note}
        </p>
      ))}
      {letters.map((letter) => (
        <article key={letter.office} className="letter" aria-label={`Letter to ${letter.office}`}>
          <Heading>{letter.office}</Heading>
          <p>
            <strong>Subject:</strong> {letter.subject}
          </p>
          <pre className="letter-body">{letter.text}</pre>
        </article>
      ))}
    </>
  );
}
