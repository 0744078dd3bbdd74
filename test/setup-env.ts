// Tests never e-mail anyone by accident and never touch the developer's database.
process.env.NODE_ENV = "test";
process.env.SMTP_URL = "";
process.env.MAIL_REDIRECT_TO = "";
