// The folder rules of app/, checked by `npm run lint` (README.md, "Architecture", "Folder rules").
// They are about the product's code: tests (*.test.ts) are left out of the cruise, since a test may
// import any folder (routes included) to test it, and nothing imports a test.

/**
 * The layering, lower first: a folder imports only folders at its level or below. `emails` is the
 * top-level folder of e-mail templates; `env.server`, `services.server`, `root` and `entry.server`
 * are the app shell's files (app/*.ts, app/*.tsx): the environment is read everywhere, the process's
 * mail transport is built on delivery, and Remix's entry points are at the top with the routes.
 */
const LAYERS = [
  ["db", "web", "offices", "env.server"],
  ["security", "letters", "emails"],
  ["delivery"],
  ["moderation", "targets", "services.server"],
  ["campaigns"],
  ["audit", "exports", "privacy"],
  ["organizers"],
  ["setup"],
  ["routes", "root", "entry.server"],
];

const SHELL_FILES = ["env.server", "services.server", "root", "entry.server"];
const isFolder = (name) => !SHELL_FILES.includes(name);

/** A folder's (or a shell file's) path as dependency-cruiser sees it, for rules about modules. */
function pathOf(name) {
  if (!isFolder(name)) return `^app/${name.replace(".", "\\.")}\\.tsx?$`;
  return name === "emails" ? "^emails/" : `^app/${name}/`;
}

/** A folder's path for rules about folders (scope "folder"): the folder itself and those inside it. */
function folderPathOf(name) {
  return pathOf(name).replace(/\/$/, "(/|$)");
}

const layerRules = LAYERS.flatMap((layer, level) => {
  const below = LAYERS.slice(0, level + 1).flat();
  const above = LAYERS.slice(level + 1).flat();
  if (above.length === 0) return [];
  return layer.map((name) => ({
    name: `layer-${name}`,
    severity: "error",
    comment:
      `${name} may import only ${below.join(", ")} (its level or below), not ${above.join(", ")}, ` +
      "which build on it: move what both need down to the lower folder (README.md, Folder rules).",
    from: { path: pathOf(name) },
    to: { path: above.map(pathOf) },
  }));
});

// A cycle across levels breaks a layer rule. Folders at one level may import each other, but only
// one way round: a cycle that starts with an import between two of them.
const peerRules = LAYERS.map((layer) => layer.filter(isFolder))
  .filter((folders) => folders.length > 1)
  .map((folders) => ({
    name: `no-cycle-among-${folders.join("-")}`,
    severity: "error",
    comment:
      `${folders.join(", ")} are at one level: one may import another, but not back (no cycle between ` +
      "folders). Move what both need down to a lower folder.",
    scope: "folder",
    from: { path: folders.map(folderPathOf) },
    to: { path: folders.map(folderPathOf), circular: true },
  }));

export default {
  forbidden: [
    {
      name: "no-import-of-routes",
      severity: "error",
      comment:
        "Routes import the domains, never the other way: nothing in app/ but routes, root.tsx and " +
        "entry.server.tsx imports app/routes. Move what others need from a route into its domain folder.",
      from: { path: "^app/", pathNot: ["^app/routes/", "^app/root\\.tsx$", "^app/entry\\.server\\.tsx$"] },
      to: { path: "^app/routes/" },
    },
    {
      name: "no-module-cycle",
      severity: "error",
      comment: "A module never comes back to itself through its imports. Split out what the modules share.",
      from: {},
      to: { circular: true },
    },
    {
      name: "folder-in-layering",
      severity: "error",
      comment:
        "Every folder of app/ has a place in the layering: add a new folder to LAYERS in " +
        ".dependency-cruiser.js and to README.md's Folder rules.",
      from: { path: "^app/", pathNot: LAYERS.flat().map(pathOf) },
      to: { path: "^(app|emails)/" },
    },
    {
      name: "app-not-to-tooling",
      severity: "error",
      comment: "The product never imports the tests' helpers, the scripts or the benchmark.",
      from: { path: "^(app|server|emails)/" },
      to: { path: "^(test|e2e|scripts|bench)/" },
    },
    ...layerRules,
    ...peerRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["\\.test\\.tsx?$", "^app/generated/"] },
    tsConfig: { fileName: "tsconfig.json" },
    // Type-only imports count too: a type belongs to a folder as much as a function does.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
