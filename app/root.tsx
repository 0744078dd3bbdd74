import type { LinksFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "./security/nonce";
import stylesUrl from "./styles.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesUrl }];

export function Layout({ children }: { children: ReactNode }) {
  // The Content-Security-Policy runs only scripts that carry this request's nonce.
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link to="/" className="brand">
            Sincerely
          </Link>
          <span className="tagline">Letters from constituents to the offices that represent them</span>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>
            Sincerely sends each letter only after its writer confirms their e-mail address. Offices receive one letter
            per constituent, in the constituent&apos;s name. <Link to="/privacy">Privacy and deleting your data</Link>
          </p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  // A refused request (4xx) says what was wrong with it; anything else says nothing of our insides.
  const refused =
    isRouteErrorResponse(error) &&
    error.status >= 400 &&
    error.status < 500 &&
    !notFound &&
    typeof error.data === "string"
      ? error.data
      : null;
  return (
    <section className="panel">
      <h1>{notFound ? "Page not found" : refused ? "This request was refused" : "Something went wrong"}</h1>
      <p>
        {notFound
          ? "There is no page at this address. It may have moved, or the campaign may have closed."
          : (refused ?? "We could not show this page. Nothing you sent was lost; please try again in a moment.")}
      </p>
      <p>
        <Link to="/">See the campaigns</Link>
      </p>
    </section>
  );
}
