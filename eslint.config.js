import js from "@eslint/js";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// Raw SQL has its places (README.md, "Folder rules"): app/db/ (the database layer) and files named
// *.sql.server.ts beside the domain code that calls them. Tests, test/ and bench/ may use it too, to
// check and measure what the app wrote; scripts/ are product commands and call the domains.
const RAW_SQL_HOME =
  "Raw SQL belongs in app/db/ or in a *.sql.server.ts file beside its domain: move the statement there (README.md, Folder rules).";

export default tseslint.config(
  { ignores: ["build/", "app/generated/", "node_modules/", "test-results/", "playwright-report/", "outbox/", "data/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "detect" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      "react/prop-types": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw)(Unsafe)?$/]",
          message: RAW_SQL_HOME,
        },
        { selector: "MemberExpression[object.name='Prisma'][property.name=/^(raw|sql|join)$/]", message: RAW_SQL_HOME },
      ],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^~|^\\.{1,2}|/app)(/db)?/direct-sql\\.server(\\.ts)?$",
              importNames: ["directSql", "directSqlOf"],
              message: `The direct road is raw SQL. ${RAW_SQL_HOME}`,
            },
            {
              regex: "(^~|^\\.{1,2}|/app)(/db)?/direct/",
              message: `The direct road is raw SQL. ${RAW_SQL_HOME}`,
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/db/**", "app/**/*.sql.server.ts", "**/*.test.{ts,tsx}", "test/**", "bench/**"],
    rules: { "no-restricted-syntax": "off", "no-restricted-imports": "off" },
  },
);
