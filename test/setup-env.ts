import { beforeEach, expect } from "vitest";

// Tests never e-mail anyone by accident and never touch the developer's database.
process.env.NODE_ENV = "test";
process.env.SMTP_URL = "";
process.env.MAIL_REDIRECT_TO = "";

// A test that asserts nothing fails: one that returns before its first expect (a case it
// skipped, a branch it never took) would otherwise pass by doing nothing.
beforeEach(() => {
  expect.hasAssertions();
});
