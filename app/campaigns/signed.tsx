// What the supporter sees right after signing: the letters exactly as they will go, the
// one step left (the confirmation e-mail), the count, and ways to share.
import type { SignActionData } from "./sign-form";
import { GoalBar } from "~/web/goal-bar";

type Signed = Extract<SignActionData, { status: "signed" }>;

export function Signed({
  campaign,
  result,
  shareUrl,
}: {
  campaign: { title: string; goal: number };
  result: Signed;
  shareUrl: string;
}) {
  const shareText = `I just wrote to the officials who represent me: ${campaign.title}. Add your letter:`;
  const share = {
    email: `mailto:?subject=${encodeURIComponent(campaign.title)}&body=${encodeURIComponent(`${shareText} ${shareUrl}`)}`,
    x: `https://twitter.com/intent/tweet?text=${encodeURIComponent(shareText)}&url=${encodeURIComponent(shareUrl)}`,
    facebook: `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(shareUrl)}`,
    bluesky: `https://bsky.app/intent/compose?text=${encodeURIComponent(`${shareText} ${shareUrl}`)}`,
  };
  return (
    <article className="signed">
      <section className="panel confirm-step" aria-labelledby="signed-heading">
        <h1 id="signed-heading">Thank you, {result.firstName}. One step left: check your e-mail.</h1>
        <p>
          We are sending a message to <strong>{result.email}</strong> with a link. Your letters go to{" "}
          {result.letters.length === 1 ? "their office" : `these ${result.letters.length} offices`} only after you click
          it, so that nobody can write to Congress in your name. The link works for 7 days.
        </p>
        <p className="hint">
          If this address had already signed, the message says so instead, and the letters sent then stand. No e-mail
          after a few minutes? Look in your spam folder, or sign again later to get a new link.
        </p>
      </section>

      <GoalBar count={result.count} goal={campaign.goal} />

      {result.vacancies.length > 0 ? (
        <section className="notice" aria-label="Vacant seats">
          {result.vacancies.map((v, i) => (
            <p key={i}>{v.description}</p>
          ))}
        </section>
      ) : null}

      <section aria-labelledby="letters-heading">
        <h2 id="letters-heading">Your letters, as they will be sent once you confirm</h2>
        {result.letters.map((letter) => (
          <article key={letter.office} className="letter" aria-label={`Letter to ${letter.office}`}>
            <h3>To {letter.office}</h3>
            <p className="letter-subject">
              <span className="hint">Subject:</span> {letter.subject}
            </p>
            <div className="letter-body">{letter.text}</div>
          </article>
        ))}
      </section>

      <section className="panel" aria-labelledby="next-heading">
        <h2 id="next-heading">What happens next</h2>
        <ol>
          <li>You click the link in the e-mail we just sent you.</li>
          <li>
            Your letters join the queue and go out to each office, one by one, with your e-mail as the reply address.
          </li>
          <li>If an office&apos;s mail server refuses or delays a letter, we retry it and record what happened.</li>
        </ol>
      </section>

      <section className="panel share" aria-labelledby="share-heading">
        <h2 id="share-heading">Ask a friend to write too</h2>
        <p>Letters from many constituents carry weight. Share the campaign:</p>
        <ul className="share-links">
          <li>
            <a href={share.email}>By e-mail</a>
          </li>
          <li>
            <a href={share.x} rel="noopener noreferrer" target="_blank">
              On X
            </a>
          </li>
          <li>
            <a href={share.facebook} rel="noopener noreferrer" target="_blank">
              On Facebook
            </a>
          </li>
          <li>
            <a href={share.bluesky} rel="noopener noreferrer" target="_blank">
              On Bluesky
            </a>
          </li>
        </ul>
        <p>
          Or copy this link: <code>{shareUrl}</code>
        </p>
      </section>
    </article>
  );
}
