// html-to-text 10 ships no types (and @types/html-to-text describes 9): the one function the
// e-mails use. Its options are React Email's selectors and ours, passed through unchanged.
declare module "html-to-text" {
  export function compile(options?: Record<string, unknown>): (html: string) => string;
}
