// The PostgreSQL twin of prisma/schema.prisma, derived as text: the same models, the provider and
// the generated client's folder swapped. Shared by the generator (scripts/pg-schema.ts) and the test
// that keeps the committed twin in step.

export const GENERATED_NOTICE =
  "// GENERATED from prisma/schema.prisma by `npm run db:pg:generate`: do not edit; change that file instead.\n";

export function postgresSchemaFrom(sqliteSchema: string): string {
  let replacedProvider = 0;
  let replacedOutput = 0;
  const text = sqliteSchema
    .replace(/(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/, (_m, head: string) => {
      replacedProvider += 1;
      return `${head}"postgresql"`;
    })
    .replace(/(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/app\/generated\/prisma"/, (_m, head: string) => {
      replacedOutput += 1;
      // One folder deeper, and its own client: a client is bound to its schema's provider.
      return `${head}"../../app/generated/prisma-pg"`;
    });
  if (replacedProvider !== 1 || replacedOutput !== 1) {
    throw new Error(
      'prisma/schema.prisma: expected one datasource with provider "sqlite" and one generator with output ' +
        '"../app/generated/prisma"',
    );
  }
  return GENERATED_NOTICE + text;
}
